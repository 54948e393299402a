/**
 * The conclusion for an evaluation that could not finish: `failure` unless the central policy
 * deliberately chose `on_error: neutral`. Read through this one function so that it follows
 * the policy model wherever that keeps the setting.
 */
export function onErrorConclusion(policy: object): 'failure' | 'neutral' {
  const p = policy as { onError?: unknown; on_error?: unknown };
  return (p.onError ?? p.on_error) === 'neutral' ? 'neutral' : 'failure';
}
