// The Receptionist form: every section of the configuration document
// (docs/agent-config.md) as fields, never as JSON. f is { doc, set(path, value),
// errors: { "services[0].price": message }, readOnly }. Fields the form does not show
// (the voice, the address, texts) stay in the document as they were.
import { html } from '../vendor/preact-htm.js';
import { Check, Choice, List, Num, Text, Words, getIn, fieldId } from './rx_fields.js';

const DAYS = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'],
              ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];

const TONES = [['friendly', 'Friendly'], ['formal', 'Formal'], ['brief', 'Brief']];

const AFTER_HOURS = [['take_message', 'Answer questions and take a message'],
                     ['forward', 'Put the call through to a number'],
                     ['booking_only', 'Answer questions and book (no messages)'],
                     ['book_and_message', 'Answer questions, book and take messages']];

const NOTIFY = [['booking', 'A booking is made or cancelled'], ['message', 'A message is taken'],
                ['escalation', 'A caller is put through to a person'], ['call_summary', 'Every call ends (its summary)']];

function zones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch { return []; }
}

function Section({ id, title, children }) {
  return html`<section class="card rx-section" aria-labelledby=${id}>
      <h2 id=${id}>${title}</h2>${children}</section>`;
}

function Basics({ f }) {
  const all = zones();
  const zone = getIn(f.doc, ['timezone']);
  const options = (all.includes(zone) || !zone ? all : [zone, ...all]).map((z) => [z, z]);
  return html`<${Section} id="rx-basics" title="Greeting and tone">
      <${Text} f=${f} path=${['business_name']} label="Business name" keepEmpty />
      <${Text} f=${f} path=${['greeting']} label="Greeting" long
        hint="The first thing a caller hears. Empty: “Thank you for calling …”." />
      <${Choice} f=${f} path=${['tone']} label="Tone" options=${TONES} />
      ${options.length
        ? html`<${Choice} f=${f} path=${['timezone']} label="Time zone" options=${options} />`
        : html`<${Text} f=${f} path=${['timezone']} label="Time zone" keepEmpty />`}
      <${Text} f=${f} path=${['currency']} label="Currency" hint="ISO code, such as USD." />
    <//>`;
}

function DayHours({ f, day, label }) {
  const path = ['hours', day];
  const ranges = getIn(f.doc, path) || [];
  const headingId = fieldId(path) + '-label';
  return html`<fieldset class="day-hours" aria-labelledby=${headingId}>
      <legend id=${headingId}>${label}</legend>
      ${ranges.length === 0 && html`<p class="meta">Closed</p>`}
      ${ranges.map((_, i) => html`<div class="range" key=${i}>
          <${Text} f=${f} path=${[...path, i, 'open']} label="Opens" placeholder="09:00" keepEmpty />
          <${Text} f=${f} path=${[...path, i, 'close']} label="Closes" placeholder="17:00" keepEmpty />
          ${!f.readOnly && html`<button type="button" class="secondary"
            onClick=${() => f.set(path, ranges.filter((__, j) => j !== i))}
            aria-label=${`Remove ${label} hours ${i + 1}`}>Remove</button>`}
        </div>`)}
      ${!f.readOnly && html`<button type="button" class="secondary"
        onClick=${() => f.set(path, [...ranges, { open: '09:00', close: '17:00' }])}
        aria-label=${`Add hours on ${label}`}>Add hours</button>`}
    </fieldset>`;
}

function Hours({ f }) {
  return html`<${Section} id="rx-hours" title="Opening hours">
      <p class="meta">Times as HH:MM in the business's time zone; a lunch break is two ranges.</p>
      <div class="week-hours">${DAYS.map(([d, label]) => html`<${DayHours} f=${f} day=${d} label=${label} key=${d} />`)}</div>
      <h3>Closures</h3>
      <${List} f=${f} path=${['closures']} noun="closure" legend=${(c, i) => c.date || `Closure ${i + 1}`}
        blank=${() => ({ date: '' })}
        render=${(p) => html`<${Text} f=${f} path=${[...p, 'date']} label="Date" type="date" keepEmpty />
          <${Text} f=${f} path=${[...p, 'reason']} label="Reason" hint="What callers are told." />`} />
    <//>`;
}

function Services({ f }) {
  return html`<${Section} id="rx-services" title="Services">
      <${List} f=${f} path=${['services']} noun="service" legend=${(s, i) => s.name || `Service ${i + 1}`}
        blank=${() => ({ name: '', duration_minutes: 30 })}
        render=${(p) => html`<div class="grid2">
            <${Text} f=${f} path=${[...p, 'name']} label="Name" keepEmpty />
            <${Words} f=${f} path=${[...p, 'aliases']} label="Other names callers use" />
            <${Num} f=${f} path=${[...p, 'duration_minutes']} label="Duration (minutes)" />
            <${Text} f=${f} path=${[...p, 'price']} label="Price"
              hint="Such as 120.00. Empty: price on request." />
          </div>
          <${Text} f=${f} path=${[...p, 'description']} label="Description" long />
          <${Words} f=${f} path=${[...p, 'upsells']} label="Suggest with it"
            hint="Names of other services, separated by commas." />`} />
    <//>`;
}

function Faq({ f }) {
  return html`<${Section} id="rx-faq" title="Questions callers ask">
      <${List} f=${f} path=${['faq']} noun="question" legend=${(q, i) => q.question || `Question ${i + 1}`}
        blank=${() => ({ question: '', answer: '', keywords: [] })}
        render=${(p) => html`<${Text} f=${f} path=${[...p, 'question']} label="Question" keepEmpty />
          <${Text} f=${f} path=${[...p, 'answer']} label="Answer" long keepEmpty />
          <${Words} f=${f} path=${[...p, 'keywords']} label="Words that show a caller asks this" />`} />
    <//>`;
}

// Policies are an object of name -> text; the form edits them as a list of pairs.
function Policies({ f }) {
  const entries = Object.entries(getIn(f.doc, ['policies']) || {});
  const put = (list) => f.set(['policies'], list.length ? Object.fromEntries(list) : undefined);
  const rename = (i, name) => put(entries.map(([k, v], j) => (j === i ? [name, v] : [k, v])));
  const retext = (i, text) => put(entries.map(([k, v], j) => (j === i ? [k, text] : [k, v])));
  const fresh = () => { let n = entries.length + 1; while (entries.some(([k]) => k === 'policy_' + n)) n++; return 'policy_' + n; };
  return html`<${Section} id="rx-policies" title="Policies">
      ${entries.map(([name, text], i) => {
        const id = `rx-policy-${i}`;
        const err = f.errors['policies.' + name];
        return html`<fieldset class="entry" key=${i}>
          <legend>${name || `Policy ${i + 1}`}</legend>
          <div class="field"><label for=${id + '-name'}>Name</label>
            <input id=${id + '-name'} type="text" value=${name} aria-describedby=${err ? id + '-error' : undefined}
              aria-invalid=${err ? 'true' : undefined} onChange=${(e) => rename(i, e.target.value.trim())} /></div>
          <div class="field"><label for=${id + '-text'}>Text</label>
            <textarea id=${id + '-text'} rows="3" value=${text} onInput=${(e) => retext(i, e.target.value)}></textarea>
            ${err && html`<small class="error" id=${id + '-error'}>${err}</small>`}</div>
          ${!f.readOnly && html`<button type="button" class="secondary"
            onClick=${() => put(entries.filter((_, j) => j !== i))}>Remove policy ${i + 1}</button>`}
        </fieldset>`;
      })}
      ${!f.readOnly && html`<button type="button" class="secondary" onClick=${() => put([...entries, [fresh(), '']])}>Add policy</button>`}
    <//>`;
}

function Booking({ f }) {
  return html`<${Section} id="rx-booking" title="Booking rules">
      <${Check} f=${f} path=${['booking', 'enabled']} label="The receptionist books appointments" />
      <div class="grid2">
        <${Num} f=${f} path=${['booking', 'slot_minutes']} label="Slot length (minutes)" />
        <${Num} f=${f} path=${['booking', 'lead_time_minutes']} label="Earliest booking, minutes from now" />
        <${Num} f=${f} path=${['booking', 'max_days_ahead']} label="Latest booking, days ahead" />
        <${Num} f=${f} path=${['booking', 'capacity_per_slot']} label="Bookings per slot" />
      </div>
    <//>`;
}

function Escalation({ f }) {
  return html`<${Section} id="rx-escalation" title="Handing callers to a person">
      <${Text} f=${f} path=${['escalation', 'transfer_number']} label="Transfer number" type="tel"
        hint="Such as +13125550100. Empty: the business's fallback number." />
      <${Check} f=${f} path=${['escalation', 'on_request']} fallback=${true} label="Put callers through when they ask for a person" />
      <${Num} f=${f} path=${['escalation', 'after_misunderstood_turns']} label="Put through after this many misunderstood turns"
        hint="0: never." />
      <${Words} f=${f} path=${['escalation', 'keywords']} label="Words that put a caller through at once" />
    <//>`;
}

function AfterHours({ f }) {
  return html`<${Section} id="rx-after-hours" title="After hours">
      <${Choice} f=${f} path=${['after_hours', 'action']} label="When a call comes while closed" options=${AFTER_HOURS} />
      <${Text} f=${f} path=${['after_hours', 'forward_number']} label="Forward to" type="tel" />
      <${Text} f=${f} path=${['after_hours', 'message']} label="Said to every caller while closed" long />
      <${Check} f=${f} path=${['after_hours', 'answer_questions_first']} label="Answer questions before putting the call through" />
    <//>`;
}

function Notifications({ f }) {
  const on = getIn(f.doc, ['notifications', 'on']) || [];
  const toggle = (k, yes) => f.set(['notifications', 'on'], yes ? [...on, k] : on.filter((x) => x !== k));
  return html`<${Section} id="rx-notifications" title="Notifications">
      <${Text} f=${f} path=${['notifications', 'owner_sms']} label="Text the owner at" type="tel" />
      <fieldset class="plain"><legend>Text when</legend>
        ${NOTIFY.map(([k, label]) => html`<div class="field check" key=${k}>
          <input id=${'rx-notify-' + k} type="checkbox" checked=${on.includes(k)}
            onChange=${(e) => toggle(k, e.target.checked)} />
          <label for=${'rx-notify-' + k}>${label}</label></div>`)}
      </fieldset>
    <//>`;
}

export function ReceptionistForm({ f }) {
  return html`<fieldset class="plain rx-form" disabled=${f.readOnly}>
      <legend class="visually-hidden">Receptionist configuration</legend>
      <${Basics} f=${f} /><${Hours} f=${f} /><${Services} f=${f} /><${Faq} f=${f} />
      <${Policies} f=${f} /><${Booking} f=${f} /><${Escalation} f=${f} /><${AfterHours} f=${f} />
      <${Notifications} f=${f} />
    </fieldset>`;
}
