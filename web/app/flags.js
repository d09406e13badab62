// Page flags from experiments (issue #20): the signed-in guest's variant of a running
// `page_flag` experiment (GET /v1/members/me/experiments, read once per session), and the
// exposure posted once when the page actually shows it. A guest not signed in, or a flag no
// experiment runs, gets the page's default.
import { useEffect, useState } from '/lib/ui.js';
import { useGuest } from './account.js';
import { api } from './api.js';

let mine = null;
let mineFor = null;
const exposed = new Set();

function experimentsFor(token) {
  if (mineFor !== token) {
    mineFor = token;
    mine = api.experiments.listMine().then(
      (r) => r.experiments,
      () => [],
    );
  }
  return mine;
}

/** `[value, fromExperiment]`: the guest's variant of the flag `key`, else `fallback`. */
export function usePageFlag(key, fallback) {
  const session = useGuest();
  const [flag, setFlag] = useState([fallback, false]);
  useEffect(() => {
    if (!session?.token) return setFlag([fallback, false]);
    let live = true;
    experimentsFor(session.token).then((list) => {
      const e = list.find((x) => x.key === key && x.kind === 'page_flag');
      if (live) setFlag(e ? [e.value, true] : [fallback, false]);
    });
    return () => {
      live = false;
    };
  }, [key, session?.token]);
  return flag;
}

/** Records that the guest saw their variant of `key` (once per page load; the server keeps the first). */
export function exposeFlag(key) {
  if (exposed.has(key)) return;
  exposed.add(key);
  api.experiments.createExposure({ key }).catch(() => exposed.delete(key));
}
