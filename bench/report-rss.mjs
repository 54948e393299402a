// Preloaded with --import: prints the process's peak resident memory when it exits.
process.on('exit', () => process.stderr.write(`\nMAXRSS_KB=${process.resourceUsage().maxRSS}\n`));
