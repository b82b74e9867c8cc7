// "Try it": the owner (or staff) talks to the receptionist as a caller would, and it
// answers from the form as it is now, saved or not (POST /api/v1/agent/try). The panel
// keeps only what the caller said; every answer replays the conversation on the draft,
// so a change to the form is heard at the next line. Nothing is booked or sent: the
// receptionist's line says so when a real call would have done something.
import { html, useState, useRef, useEffect } from '../vendor/preact-htm.js';
import { api } from '../api.js';

export function TryIt({ doc, onProblems }) {
  const [lines, setLines] = useState([]);
  const [said, setSaid] = useState('');
  const [talk, setTalk] = useState(null);       // the API's answer: transcript, ended
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const log = useRef(null);

  useEffect(() => { if (log.current) log.current.scrollTop = log.current.scrollHeight; }, [talk]);

  const run = async (next) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api('POST', '/agent/try', { config: doc, caller_lines: next });
      setLines(next);
      setTalk(answer);
      setSaid('');
      onProblems([]);
    } catch (err) {
      if (err.status === 401) return;
      setError(err.errors.length ? 'The form has problems; fix the fields marked in red, then try again.' : err.message);
      onProblems(err.errors);
    } finally {
      setBusy(false);
    }
  };
  const send = (e) => {
    e.preventDefault();
    if (said.trim()) run([...lines, said.trim()]);
  };
  return html`<section class="card try" aria-labelledby="try-title">
      <h2 id="try-title">Try it</h2>
      <p class="meta">Talk to your receptionist as a caller would. It answers from the form as it is now, even unsaved;
        nothing is booked, kept or sent.</p>
      <div class="actions start">
        <button type="button" onClick=${() => run([])} disabled=${busy}>${talk ? 'Start over' : 'Call'}</button>
      </div>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${talk && html`<ol class="conversation try-log" ref=${log} aria-live="polite" aria-label="Try-out conversation">
        ${talk.transcript.map((t, i) => html`<li key=${i} class=${'turn ' + (t.speaker === 'caller' ? 'caller' : 'agent')}>
          <span class="speaker">${t.speaker === 'caller' ? 'You' : 'Receptionist'}</span>
          <p>${t.text}</p>
          ${t.tryout && html`<p class="tryout">${t.tryout}</p>`}
        </li>`)}
      </ol>`}
      ${talk && talk.ended && html`<p class="meta" role="status">The call has ended. Start over to call again.</p>`}
      ${talk && !talk.ended && html`<form class="say" onSubmit=${send}>
        <div class="field">
          <label for="try-said">What the caller says</label>
          <input id="try-said" type="text" maxlength="500" autocomplete="off" value=${said}
            onInput=${(e) => setSaid(e.target.value)} />
        </div>
        <button type="submit" disabled=${busy || !said.trim()}>Say it</button>
      </form>`}
    </section>`;
}
