// Runs a scenario file (SPEC §5, "Scenario file") through the JavaScript API, the way
// `pmc simulate` runs it through the Rust API (compiler/src/scenario.rs), and returns the
// deliveries as `pmc simulate --format json` reports them. Plain ECMAScript with no imports,
// so Node and the browser page run the very same code.

/** Seconds (integer or fraction) to whole milliseconds, as pmc rounds them. */
function toMs(seconds, what) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0 || seconds > 1e10) {
    throw new Error(`${what} must be a number of seconds between 0 and 10000000000, not ${seconds}`);
  }
  return Math.round(seconds * 1000);
}

/** The index of the message named `name`, or an error naming it. */
function messageIndex(bundle, name) {
  const index = bundle.messageIndex(name);
  if (index === undefined) throw new Error(`the bundle has no message named "${name}"`);
  return index;
}

/** Applies one scenario event at `now` (ms since the Unix epoch). */
function apply(engine, bundle, now, event) {
  switch (event.type) {
    case "app_launch": {
      const history = event.visit_history;
      if (history !== undefined && history !== "new" && history !== "returning") {
        throw new Error(`visit_history must be "new" or "returning", not ${JSON.stringify(history)}`);
      }
      engine.appLaunch(now, history === undefined ? undefined : history === "returning");
      return;
    }
    case "screen_open":
      engine.screenOpen(now, event.url ?? "", event.title ?? "");
      return;
    case "message_opened":
      engine.messageOpened(now, messageIndex(bundle, event.message));
      return;
    case "message_dismissed":
      engine.messageDismissed(now, messageIndex(bundle, event.message));
      return;
    case "conversation_started":
      engine.conversationStarted(now);
      return;
    case "conversation_ended":
      engine.conversationEnded(now);
      return;
    case "set_ai_resolutions":
      engine.setAiResolutions(now, event.available);
      return;
    case "set_suppressed":
      engine.setSuppressed(now, event.suppressed);
      return;
    case "set_language":
      // Checks due before the change see the old language (as pmc simulate).
      engine.advanceTo(now - 1);
      engine.setLanguage(event.language);
      return;
    case "set_app_version":
      // A context change, like set_language.
      engine.advanceTo(now - 1);
      engine.setAppVersion(event.version ?? undefined);
      return;
    case "set_app_build":
      engine.advanceTo(now - 1);
      engine.setAppBuild(event.build ?? undefined);
      return;
    case "app_quit":
      engine.appQuit(now);
      return;
    default:
      // A version-2 event (app_event, set_attribute, …) before the binding has its call.
      throw new Error(`the JavaScript driver has no call for event type ${JSON.stringify(event.type)}`);
  }
}

/**
 * Runs `scenario` (the parsed JSON) on `bundle` with the module `vm` (its `Engine` class).
 * Returns `[{ t, message }]`: `t` in seconds since `start`, `message` the name.
 */
export function runScenario(vm, bundle, scenario) {
  const start = Date.parse(scenario.start);
  if (Number.isNaN(start)) throw new Error(`start is not an RFC 3339 time: ${scenario.start}`);
  const events = scenario.events.map((event, i) => ({ event, ms: toMs(event.t, `t of event ${i + 1}`) }));
  events.forEach(({ ms }, i) => {
    if (i > 0 && ms < events[i - 1].ms) throw new Error(`event ${i + 1} goes back in time`);
  });
  const untilMs = scenario.until === undefined ? (events.at(-1)?.ms ?? 0) : toMs(scenario.until, "until");
  const engine = new vm.Engine(bundle, scenario.channel);
  try {
    engine.setLanguage(scenario.device.language);
    if (scenario.app !== undefined) {
      engine.setAppVersion(scenario.app.version ?? undefined);
      engine.setAppBuild(scenario.app.build ?? undefined);
    }
    if (scenario.ai_resolutions_available === false) engine.setAiResolutions(start, false);
    // Checks due after `until` never happen, so later events are not applied (as in pmc).
    for (const { event, ms } of events) {
      if (ms > untilMs) break;
      apply(engine, bundle, start + ms, event);
    }
    engine.advanceTo(start + untilMs);
    return engine.takeDeliveries().map((d) => ({ t: (d.time - start) / 1000, message: bundle.message(d.message).name }));
  } finally {
    engine.free();
  }
}
