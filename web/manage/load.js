// One way for a console section to load its data: `{ data, error, loading, retry }`, reloaded
// when `key` changes; an answer that arrives after the key moved on is dropped.
import { useCallback, useEffect, useRef, useState } from '/lib/ui.js';

/** `key` names everything `fn` reads: the call runs again exactly when it changes. */
export function useLoad(fn, key) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const n = ++latest.current;
    setState((s) => ({ data: s.data, error: null, loading: true }));
    fn().then(
      (data) => n === latest.current && setState({ data, error: null, loading: false }),
      (error) => n === latest.current && setState({ data: null, error, loading: false }),
    );
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, retry };
}
