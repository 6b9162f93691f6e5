import { brokenConfig, whenItStartsSentence } from '../core/messages';
import { refusedConfigProblems } from '../core/config/profile-rules';
import { hostFixes, hostRefusalProblems, hostStartVerdict } from '../core/host/start';
import { currentOf } from '../core/host/view';
import { readHost } from '../host/model';
import { bindFacts } from '../host/ports/addresses';
import { errorLine, EXIT, exitFor, type ExitCode } from '../core/errors';
import { notSetUpHere } from '../host/profile/not-set-up';
import { rollbackOffer } from '../host/watch/last-good';
import { footprint, resolveBase } from '../core/ports/footprint';
import { tildify } from '../core/profile/paths';
import { planBrowserProfiles, type BrowserProfilePlan } from '../core/gateway/browser-profiles';
import { fetchJson } from '../host/gateway/client';
import { liveOf, startedOnOtherConfig } from '../host/gateway/live';
import { HEALTH_TIMEOUT_MS } from '../host/gateway/lock-health';
import { bindHost, clientHost, urlOf } from '../core/gateway/plan';
import { table } from '../ui/output';
import { type CommandContext } from '../ui/context';
import type { JSON_FLAGS } from '../flags';

type ProfileView = BrowserProfilePlan & { running: boolean; pid: number | null };

/** A CDP endpoint answers /json/version when a browser listens there. */
async function cdpReachable(plan: BrowserProfilePlan): Promise<boolean> {
  const endpoint = plan.cdpUrl ?? (plan.cdpPort === null ? null : `http://127.0.0.1:${plan.cdpPort}`);
  if (endpoint === null) return false;
  const answer = await fetchJson(`${endpoint.replace(/\/$/, '')}/json/version`, { timeoutMs: HEALTH_TIMEOUT_MS });
  return answer.ok && answer.status === 200;
}

/** The profile list of browser control's GET /profiles, or null when the body is not one (another program on its port). */
export function profileList(body: unknown): ProfileView[] | null {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { profiles?: unknown }).profiles)) return null;
  const profiles = (body as { profiles: unknown[] }).profiles;
  const isView = (p: unknown): boolean => {
    if (typeof p !== 'object' || p === null) return false;
    const v = p as Record<string, unknown>;
    return typeof v.name === 'string' && (v.cdpPort === null || Number.isInteger(v.cdpPort)) && (v.cdpUrl === null || typeof v.cdpUrl === 'string') && typeof v.source === 'string' && typeof v.running === 'boolean' && (v.pid === null || Number.isInteger(v.pid));
  };
  return profiles.every(isView) ? (profiles as ProfileView[]) : null;
}

export async function run(ctx: CommandContext<typeof JSON_FLAGS>): Promise<ExitCode> {
  const { paths, out, home } = ctx;
  const view = await readHost({ home, current: paths, health: 'current' });
  const self = currentOf(view);
  const { loaded } = self;
  const live = liveOf(self, home, Date.now());
  // A config broken or refused: the last-known-good one a watching rescue recorded is a way back, as status and start offer it.
  const backTo = () => rollbackOffer(paths, ctx.invocation);
  if (loaded.state !== 'ok') {
    const why =
      loaded.state === 'missing'
        ? await notSetUpHere(paths, home, ctx.invocation, 'browser status')
        : brokenConfig({ label: paths.label, invocation: ctx.invocation }, loaded.error, tildify(loaded.path, home), (await backTo()) ?? undefined);
    if (ctx.flags.json === true) out.json({ profile: paths.profile, label: paths.label, running: false, problems: [why], healthy: false });
    else out.error(errorLine(why));
    return EXIT.unhealthy;
  }
  const config = loaded.config;
  // A running gateway's own ports win: it may have been started with --port.
  const fp = footprint(config, live.ports?.gateway ?? resolveBase({ env: ctx.env, config }).port);
  const controlUrl = urlOf(live.host ?? clientHost(bindHost(config.gateway?.bind)), fp.browserControl);
  const problems: string[] = [];
  let control: { reachable: boolean; error: string | null } = { reachable: false, error: 'the gateway is not running' };
  let profiles: ProfileView[] = planBrowserProfiles(config, fp).map((p) => ({ ...p, running: false, pid: null }));
  // A start the gateway refuses (as start and status judge it): its refusals and fixes first, as status says them; a gateway
  // that runs keeps serving on the config it started with, and only its restart would meet the refusal.
  const verdict = hostStartVerdict(view, self, { home, bind: bindFacts(paths.profile), base: resolveBase({ env: ctx.env, config }) });
  const { refusals } = verdict.config;
  const serving = live.pid !== null && live.url !== null ? { pid: live.pid, url: live.url } : null;
  problems.push(...refusedConfigProblems(refusals, ctx.invocation, refusals.length > 0 ? await backTo() : null, serving));
  problems.push(...hostRefusalProblems(verdict.host, [], serving, verdict.blocker));
  // The running gateway reads its config when it starts: a token changed since is not the one it checks.
  const restartDue = live.running && startedOnOtherConfig(self);
  let oldToken = false;
  if (!live.running) {
    // No start before the repair.
    const advice = whenItStartsSentence(`"${ctx.invocation} start"`, verdict.blocker);
    problems.push(`The gateway of profile "${paths.label}" is not running, so its browser control is not either. ${advice}${hostFixes(verdict.host)}`);
  } else {
    const token = config.gateway?.auth?.token;
    const answer = await fetchJson(`${controlUrl}/profiles`, { timeoutMs: HEALTH_TIMEOUT_MS, ...(token ? { token } : {}) });
    const listed = answer.ok && answer.status === 200 ? profileList(answer.body) : null;
    if (listed !== null) {
      control = { reachable: true, error: null };
      profiles = listed;
    } else if (answer.ok && answer.status === 200) {
      control = { reachable: false, error: 'answered 200 without a profile list' };
      problems.push(`browser control at ${controlUrl} does not answer: ${control.error}`);
    } else if (answer.ok && answer.status === 401 && restartDue) {
      // It answers, to the token it started with: a restart applies the new one, unless the config is refused (said above with its fix).
      oldToken = true;
      control = { reachable: false, error: `answered 401: ${(answer.body as { error?: string } | null)?.error ?? ''}` };
      const restart = verdict.blocker === null ? `: restart it with "${ctx.invocation} restart"` : '';
      problems.push(`The gateway (pid ${live.pid}) started on an earlier config and still uses the auth token it started with, so its browser control refuses the one the config holds now${restart}.`);
    } else {
      control = { reachable: false, error: answer.ok ? `answered ${answer.status}: ${(answer.body as { error?: string } | null)?.error ?? ''}` : answer.error };
      problems.push(`browser control at ${controlUrl} does not answer: ${control.error}`);
    }
  }
  const reachable = await Promise.all(profiles.map(cdpReachable));
  const healthy = problems.length === 0;

  if (ctx.flags.json === true) {
    out.json({
      profile: paths.profile,
      label: paths.label,
      controlUrl,
      running: live.running,
      gateway: live.running ? { pid: live.pid } : null,
      // The running gateway started on other config bytes than the file holds (its lock's configSha256): a change waits for its restart.
      restartDue,
      control,
      cdp: fp.cdp,
      profiles: profiles.map((p, i) => ({ name: p.name, cdpPort: p.cdpPort, cdpUrl: p.cdpUrl, source: p.source, browser: p.running ? { pid: p.pid } : null, reachable: reachable[i] })),
      problems,
      healthy,
    });
    return exitFor(healthy);
  }
  out.line(`${out.bold('Browser control')} of profile ${out.bold(paths.label)}`);
  const state = control.reachable
    ? out.green(`reachable (gateway pid ${live.pid})`)
    : oldToken
      ? out.yellow(`answers with the token its gateway started with (pid ${live.pid}): restart due`)
      : out.red(live.running ? 'not answering' : 'not running');
  out.line(`  control    ${controlUrl}  ${state}`);
  out.line(`  CDP range  ${fp.cdp.from}–${fp.cdp.to}`);
  out.line('');
  const rows = profiles.map((p, i) => [
    p.name,
    p.cdpUrl ?? (p.cdpPort === null ? 'none (range full)' : String(p.cdpPort)),
    p.source,
    p.running ? `running (pid ${p.pid})` : out.dim('not started'),
    reachable[i] ? out.green('reachable') : out.dim('unreachable'),
  ]);
  for (const line of table([['PROFILE', 'CDP', 'SOURCE', 'BROWSER', 'CDP STATE'].map((h) => out.dim(h)), ...rows])) out.line(line);
  if (!healthy) {
    out.line('');
    for (const problem of problems) out.line(out.red(`✖ ${problem}`));
  }
  return exitFor(healthy);
}
