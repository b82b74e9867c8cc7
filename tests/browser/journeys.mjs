// The dashboard's journeys in Debian's Chromium, driven by playwright-core (which
// downloads no browser). Run by test_dashboard.py as
//   node journeys.mjs NAME '{"url": ..., ...}'
// Exit status 0 when the journey went as a user expects; otherwise the first thing that
// did not, on stderr. Every page visited is checked by axe-core (no serious or critical
// violation) and photographed at 375 and 1440 px under build/screenshots/; any error the
// page logs (a script error, a CSP refusal) fails the journey. The helpers are exported
// for the other pages' journeys (journeys_pages.mjs, journeys_receptionist.mjs), which
// run theirs with runJourney.
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const SHOTS = join(ROOT, 'build', 'screenshots');
const [name, argJson] = process.argv.slice(2);
export const args = JSON.parse(argJson || '{}');

export function check(ok, what) {
  if (!ok) throw new Error(what);
}

export async function open() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('script error: ' + e.message));
  page.on('console', (m) => {
    // the browser reports each 4xx answer (a 401 before logging in is expected)
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      page.problems.push('console: ' + m.text());
  });
  return { browser, context, page };
}

// axe-core through the DevTools protocol: the page's CSP forbids injected scripts.
export async function axe(page, label) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe on ${label}: ` + bad.map((v) =>
    `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; '));
}

export async function shoot(page, label) {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [375, 1440]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.waitForTimeout(150);      // the chart redraws at the new width
    await page.screenshot({ path: join(SHOTS, `${name}-${label}-${width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `${label} at ${width} px is ${overflow} px wider than the screen`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

export async function visit(page, label) {
  await page.waitForSelector('main h1');
  await axe(page, label);
  await shoot(page, label);
}

export async function logIn(page, email, password) {
  await page.goto(args.url + '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
}

const journeys = {
  async signup(page) {
    await page.goto(args.url + '/signup');
    await visit(page, 'signup');
    await page.getByLabel('Business name').fill(args.business_name);
    await page.getByLabel('Email').fill(args.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create my receptionist' }).click();
    await page.locator('.error').first().waitFor();
    check(page.url().endsWith('/signup'), 'a refused sign-up left the page');
    check(await page.getByLabel('Business name').inputValue() === args.business_name,
          'a refused sign-up lost what was typed');
    await page.getByLabel('Password').fill(args.password);
    const zone = await page.getByLabel('Time zone').inputValue();
    check(zone.includes('/'), 'the time zone starts empty: ' + JSON.stringify(zone));
    await page.getByLabel('Time zone').selectOption(args.timezone);
    await page.getByLabel('Area code for your number').fill(args.area_code);
    await page.getByRole('button', { name: 'Create my receptionist' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const number = await page.getByTestId('number').innerText();
    check(/being set up|answers \+1 \d{3} \d{3} \d{4}/.test(number), 'no number nor "being set up": ' + number);
    check(await page.getByText('No calls yet').isVisible(), 'no empty state on a new business');
    await visit(page, 'today-new');
    // the worker buys the number in the area code asked for; the page shows it by itself
    await page.getByText(new RegExp(`answers \\+1 ${args.area_code} \\d{3} \\d{4}`)).waitFor({ timeout: 90000 });
    const empty = await page.locator('.empty').first().innerText();
    check(/^No calls yet — call \+1 \d{3} \d{3} \d{4} to try your receptionist\.$/.test(empty), 'empty state: ' + empty);
    await visit(page, 'today-number');
  },

  async today(page) {
    await logIn(page, args.email, args.password);
    const calls = page.locator('ul.calls li');
    await calls.first().waitFor();
    const text = await page.locator('main').innerText();
    check(text.includes(args.caller_display), `the call from ${args.caller_display} is not on Today`);
    check(text.includes(args.number_display), `the number ${args.number_display} is not on Today`);
    const booked = await page.locator('td[data-figure="bookings"]').first().innerText();
    check(booked === '1', `Today's bookings read ${booked}, not 1`);
    check(await page.locator('.chart canvas').count() === 1, 'no chart');
    await visit(page, 'today');
    // reported, not asserted: a warm load of Today (the files are cached) to its chart
    await page.goto(args.url + '/');
    await page.locator('.chart canvas').waitFor();
    const t = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      chart: performance.now(),
    }));
    console.log(`Today, warm: first contentful paint ${Math.round(t.fcp)} ms, chart drawn by ${Math.round(t.chart)} ms`);
  },

  async transcript(page) {
    await logIn(page, args.email, args.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('heading', { name: 'Calls', level: 1 }).waitFor();
    await page.locator('ul.calls li a').first().waitFor();
    await visit(page, 'calls');
    await page.locator('ul.calls li a').first().click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    const turns = await page.locator('.turn.caller p').allInnerTexts();
    for (const said of args.caller_said)
      check(turns.includes(said), `the transcript lacks the caller's "${said}": ${JSON.stringify(turns)}`);
    check(await page.locator('.turn.agent').count() > 0, 'the receptionist said nothing');
    const booking = await page.locator('.booking').innerText();
    check(booking.includes(args.service) && booking.includes('Booked'), 'no booking: ' + booking);
    await visit(page, 'call');
    await page.reload();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
  },

  async paging(page) {
    await logIn(page, args.email, args.password);
    await page.goto(args.url + '/calls');
    const rows = page.locator('ul.calls li a');
    await rows.first().waitFor();
    check(await rows.count() < args.total, 'the first page holds every call');
    // scrolling to the end loads the next pages until there are none
    for (let i = 0; i < 10 && await page.getByRole('button', { name: 'More calls' }).count(); i++) {
      await page.getByRole('button', { name: 'More calls' }).scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
    }
    const hrefs = await rows.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(hrefs.length === args.total && new Set(hrefs).size === args.total,
          `${hrefs.length} calls listed (${new Set(hrefs).size} different), not ${args.total}`);
    await page.getByLabel('Outcome').selectOption('missed');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/outcome=missed/);
    await page.waitForFunction((n) => document.querySelectorAll('ul.calls li').length > 0 &&
      [...document.querySelectorAll('ul.calls .outcome')].every((o) => o.textContent === 'Missed'), null);
    await page.reload();
    await page.locator('ul.calls li').first().waitFor();
    check(await page.getByLabel('Outcome').inputValue() === 'missed', 'the filter is lost on reload');
    for (let i = 0; i < 10 && await page.getByRole('button', { name: 'More calls' }).count(); i++) {
      await page.getByRole('button', { name: 'More calls' }).click();
      await page.waitForTimeout(300);
    }
    const outcomes = await page.locator('ul.calls .outcome').allInnerTexts();
    check(outcomes.length === args.missed && outcomes.every((o) => o === 'Missed'),
          `missed filter shows ${outcomes.length}: ${[...new Set(outcomes)]}`);
    await visit(page, 'calls-missed');
    await page.getByLabel('Outcome').selectOption('');
    await page.getByLabel('Lead score').selectOption('50');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/min_score=50/);
    await page.waitForFunction(() => document.querySelectorAll('ul.calls li').length === 1);
    const score = await page.locator('ul.calls .score').allInnerTexts();
    check(score.length === 1 && Number(score[0].replace('Lead ', '')) >= 50, 'lead score filter shows ' + score);
  },

  async live(page) {
    await logIn(page, args.email, args.password);
    await page.locator('ul.calls li').first().waitFor();
    await page.evaluate(() => { window.stillThisPage = true; });
    console.log('watching');          // test_dashboard.py places the call now
    const row = page.locator('ul.calls li', { hasText: args.caller_display });
    await row.waitFor({ timeout: 120000 });
    check(await page.evaluate(() => window.stillThisPage === true), 'the page was reloaded');
    const booked = await page.locator('td[data-figure="bookings"]').first().innerText();
    check(booked === String(args.bookings), `Today's bookings read ${booked}, not ${args.bookings}`);
    await row.locator('a').click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    check((await page.locator('.booking').innerText()).includes(args.caller_name), 'the new call has no booking');
  },

  async isolation(page) {
    await logIn(page, args.email, args.password);
    const pages = [['/', 'Today'], ['/calls', 'Calls']];
    for (const [path] of pages) {
      await page.goto(args.url + path);
      await page.locator('ul.calls li, .empty').first().waitFor();
      await assertNone(page, path);
    }
    for (const href of await page.locator('ul.calls li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      await page.goto(args.url + href);
      await page.getByRole('heading', { name: 'Transcript' }).waitFor();
      await assertNone(page, href);
    }
    await page.goto(args.url + '/calls/' + args.other_call_id);
    await page.getByRole('heading', { name: 'Call not found' }).waitFor();
    await assertNone(page, 'the other business\'s call');
    await visit(page, 'not-found');
  },

  // The booking the call made shows in its week at its time, within the shaded hours;
  // cancelled after the confirmation, it reads cancelled in the week and leaves the list
  // of booked ones.
  async bookings(page) {
    await logIn(page, args.email, args.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bookings' }).click();
    await page.getByRole('heading', { name: 'Bookings', level: 1 }).waitFor();
    for (let i = 0; i < args.weeks_ahead; i++)
      await page.getByRole('button', { name: 'Next week' }).click();
    const day = page.locator(`section.day[data-date="${args.date}"]`);
    const chip = day.locator(`button.chip[data-booking="${args.booking_id}"]`);
    await chip.waitFor();
    const text = spaced(await chip.innerText());
    check(text.includes(args.time) && text.includes(args.service) && text.includes(args.caller_name),
          `the week's booking reads "${text}", not ${args.time} ${args.service} ${args.caller_name}`);
    // a slot that holds several bookings says how many of its places are taken
    check(text.includes(`· 1/${args.capacity} places taken`), `the week's booking reads "${text}", not 1/${args.capacity} places taken`);
    for (const [date, want] of Object.entries(args.day_hours)) {
      const got = spaced(await page.locator(`section.day[data-date="${date}"] .hours`).textContent());
      check(got === want, `${date} reads ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
    }
    check(await page.locator('.week .open').count() === args.open_days,
          `${await page.locator('.week .open').count()} days shaded open, not ${args.open_days}`);
    // inside the shaded hours: the chip lies within an open block of its day
    const inside = await chip.evaluate((el) => {
      const c = el.getBoundingClientRect();
      return [...el.closest('.day').querySelectorAll('.open')].some((o) => {
        const r = o.getBoundingClientRect();
        return c.top >= r.top - 1 && c.bottom <= r.bottom + 1;
      });
    });
    check(inside, 'the booking is drawn outside its day\'s opening hours');
    await visit(page, 'bookings-week');
    // Keep it changes nothing; Cancel booking cancels
    await chip.click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this booking?' });
    await dialog.waitFor();
    await axe(page, 'cancel-dialog');
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'detached' });
    check(!(await chip.innerText()).includes('Cancelled'), 'Keep it cancelled the booking');
    await chip.click();
    await dialog.getByRole('button', { name: 'Cancel booking' }).click();
    await page.getByRole('status').filter({ hasText: /Cancell(ed|ing)/ }).waitFor();
    await page.waitForFunction((id) => document.querySelector(`button.chip[data-booking="${id}"]`)
      ?.textContent.includes('Cancelled'), args.booking_id, { timeout: 15000 });
    check(!(await chip.innerText()).includes('places'), 'a cancelled booking still counts a place');
    await visit(page, 'bookings-week-cancelled');
    await page.getByRole('button', { name: 'List' }).click();
    await page.getByLabel('Status').selectOption('booked');
    await page.waitForURL(/status=booked/);
    await page.locator('ul.booking-list, .empty').first().waitFor();
    check(await page.locator(`li.booking-row[data-booking="${args.booking_id}"]`).count() === 0,
          'the cancelled booking is still listed as booked');
    await page.getByLabel('Status').selectOption('cancelled');
    const row = page.locator(`li.booking-row[data-booking="${args.booking_id}"]`);
    await row.waitFor();
    check((await row.innerText()).includes('Cancelled'), 'the list does not mark it cancelled');
    check(await row.getByRole('button', { name: 'Cancel…' }).count() === 0, 'a cancelled booking offers to cancel');
    await visit(page, 'bookings-list');
    await page.reload();
    await row.waitFor();
    check(await page.getByLabel('Status').inputValue() === 'cancelled', 'the list\'s status is lost on reload');
  },

  async 'billing-off'(page) {
    await logIn(page, args.email, args.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
    await page.getByTestId('billing-off').waitFor();
    check((await page.getByTestId('billing-off').innerText()).startsWith('Billing is off'), 'no "billing is off"');
    check(await page.getByTestId('plan').innerText() === '$200.00/month + $50.00 per booking',
          'the plan reads ' + await page.getByTestId('plan').innerText());
    check(await page.getByTestId('state').innerText() === 'Not subscribed', 'state: ' + await page.getByTestId('state').innerText());
    check(await page.getByRole('button', { name: /Subscribe|Manage billing/ }).count() === 0,
          'billing is off, yet there is a button to pay');
    await visit(page, 'billing-off');
  },

  // The owner clicks Subscribe and the browser goes to Stripe's Checkout page (answered
  // here: the fake's address is not a real site).
  async 'billing-subscribe'(page) {
    await page.route((u) => u.href.startsWith(args.stripe_pages), (route) => route.fulfill({
      status: 200, contentType: 'text/html', body: '<!doctype html><title>Stripe</title><h1>Stripe</h1>' }));
    await logIn(page, args.email, args.password);
    // where Stripe sends the owner back (/billing?checkout=…), or the page itself
    await page.goto(args.url + '/billing' + (args.back ? '?checkout=' + args.back : ''));
    await page.getByTestId('state').waitFor();
    if (args.back_says)
      check(await page.getByRole('status').innerText() === args.back_says,
            'back from Stripe: ' + await page.getByRole('status').innerText());
    check(await page.getByTestId('state').innerText() === args.state, 'state: ' + await page.getByTestId('state').innerText());
    for (const [id, want] of Object.entries(args.figures || {}))
      check(await page.getByTestId(id).innerText() === want, `${id} reads ${await page.getByTestId(id).innerText()}, not ${want}`);
    if (args.banner)
      check(await page.getByTestId('banner').innerText() === args.banner, 'banner: ' + await page.getByTestId('banner').innerText());
    check(await page.getByRole('button', { name: args.other_button }).count() === 0, `both buttons show`);
    await visit(page, 'billing-' + args.button.toLowerCase().replace(' ', '-'));
    await page.getByRole('button', { name: args.button }).click();
    await page.waitForURL((u) => u.href.startsWith(args.stripe_pages), { timeout: 15000 });
    console.log('stripe ' + page.url());
  },

  async 'billing-staff'(page) {
    await logIn(page, args.email, args.password);
    await page.goto(args.url + '/billing');
    await page.getByTestId('state').waitFor();
    check(await page.getByTestId('banner').innerText() === args.banner, 'banner: ' + await page.getByTestId('banner').innerText());
    check(await page.getByRole('button', { name: /Subscribe|Manage billing/ }).count() === 0,
          'staff are offered a billing button');
    await visit(page, 'billing-staff');
  },

  async logout(page, context) {
    await logIn(page, args.email, args.password);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await visit(page, 'login');
    // the keyboard reaches the form, and where it is can be seen
    await page.locator('body').focus();
    for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.id === 'email')); i++)
      await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { id: document.activeElement.id, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    check(ring.id === 'email' && ring.style !== 'none' && ring.width >= 2, 'no visible focus: ' + JSON.stringify(ring));
    await page.goto(args.url + '/calls');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    check(new URL(page.url()).pathname === '/login', 'a signed-out /calls did not go to login');
    // A session lost while a page is open (expired, revoked) goes to login, then back.
    await logIn(page, args.email, args.password);
    await context.clearCookies();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    check(page.url().includes('next=%2Fcalls'), 'the lost page is not remembered: ' + page.url());
    await page.getByLabel('Email').fill(args.email);
    await page.getByLabel('Password').fill(args.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Calls', level: 1 }).waitFor();
  },
};

// Text with the narrow no-break spaces of some locales' times ("8:00 AM") as plain ones.
export function spaced(text) {
  return text.replace(/\s/g, ' ');
}

export async function assertNone(page, where) {
  const text = await page.locator('body').innerText();
  for (const word of args.forbidden)
    check(!text.includes(word), `${where} shows the other business's "${word}"`);
}

// Runs the journey named on the command line from table; the exit status says how it went.
export async function runJourney(table) {
  const journey = table[name];
  if (!journey) {
    console.error('no journey ' + name);
    process.exit(2);
  }
  const { browser, context, page } = await open();
  try {
    await journey(page, context);
    check(page.problems.length === 0, page.problems.join('; '));
    console.log('ok ' + name);
  } catch (e) {
    console.error(`journey ${name} at ${page.url()}: ${e.message}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href)
  await runJourney(journeys);
