import { gitHubStatusOf } from '../errors.js';
import { paginate, type GitHub } from './client.js';

interface Review {
  state: string;
  user?: { login: string } | null;
}

/**
 * Logins whose latest review approves the pull request and who are active members of the
 * approvers team ("org/team-slug"). A later "changes requested" or a dismissal cancels an approval.
 */
export async function teamApprovals(
  github: GitHub,
  p: { owner: string; repo: string; number: number; team: string },
): Promise<string[]> {
  const reviews = await paginate<Review>(
    github,
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    { owner: p.owner, repo: p.repo, pull_number: p.number },
  );
  const latest = new Map<string, string>();
  for (const r of reviews) if (r.user && r.state !== 'COMMENTED') latest.set(r.user.login, r.state);
  const approvers = [...latest].filter(([, state]) => state === 'APPROVED').map(([login]) => login);
  const [org, teamSlug] = p.team.split('/') as [string, string];
  const members = await Promise.all(
    approvers.map(async (login) =>
      (await isTeamMember(github, org, teamSlug, login)) ? login : null,
    ),
  );
  return members.filter((m): m is string => m !== null);
}

async function isTeamMember(
  github: GitHub,
  org: string,
  teamSlug: string,
  username: string,
): Promise<boolean> {
  try {
    const { data } = await github.request(
      'GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
      { org, team_slug: teamSlug, username },
    );
    return data.state === 'active';
  } catch (e) {
    if (gitHubStatusOf(e) === 404) return false;
    throw e;
  }
}

/** Whether a user may run commands: write, maintain or admin on the repository. */
export async function canWrite(
  github: GitHub,
  owner: string,
  repo: string,
  username: string,
): Promise<boolean> {
  try {
    const { data } = await github.request(
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
      { owner, repo, username },
    );
    return ['admin', 'maintain', 'write'].includes(data.role_name ?? data.permission);
  } catch (e) {
    if (gitHubStatusOf(e) === 404) return false;
    throw e;
  }
}
