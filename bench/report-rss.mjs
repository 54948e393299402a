// Preloaded with --import: prints the process's peak resident memory, and the CPU time it used
// (user + system, which a busy machine does not inflate as it does wall time), when it exits.
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(
    `\nMAXRSS_KB=${usage.maxRSS}\nCPU_MS=${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`,
  );
});
