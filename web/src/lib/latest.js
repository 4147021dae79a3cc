// "Latest wins" for live requests (the drawing's reconstruction, a slider's decode, hovering
// the map): at most one call in flight; calls made meanwhile collapse into one, made with the
// newest arguments when the current one settles. Output follows input without a queue of
// stale work building up behind a busy worker.
//
//   const decode = latestOnly((code) => client.request(...), (result, code) => show(result));
//   decode(code); decode(code2); decode(code3);   // runs code, then code3
//   decode.cancel();                              // forget the waiting call and the result in flight
export function latestOnly(run, onResult, onError = () => {}) {
  let inFlight = false;
  let pending = null; // { args } of the newest call not yet started
  let generation = 0; // cancel() moves it on: older calls' results are dropped
  const go = async (args) => {
    inFlight = true;
    const gen = generation;
    try {
      const result = await run(...args);
      if (!pending && gen === generation) onResult(result, ...args); // a newer call supersedes this result
    } catch (err) {
      if (gen === generation) onError(err);
    } finally {
      inFlight = false;
      if (pending) {
        const next = pending;
        pending = null;
        go(next.args);
      }
    }
  };
  const call = (...args) => {
    if (inFlight) pending = { args };
    else go(args);
  };
  call.cancel = () => {
    pending = null;
    generation += 1;
  };
  return call;
}
