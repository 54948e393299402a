// GET /healthcheck: 200 while the service and its dependencies answer; the load balancer and
// the HealthCheckFailing alert read it.
export function healthcheck(dependencies) {
  return async (_request, response) => {
    const results = await Promise.all(dependencies.map((d) => d.ping().then(() => true, () => false)));
    response.status(results.every(Boolean) ? 200 : 503).json({ ok: results.every(Boolean) });
  };
}
