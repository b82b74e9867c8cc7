// The Receptionist page's journeys, run by test_dashboard_receptionist.py as
//   node journeys_receptionist.mjs NAME '{"url": ..., ...}'
// with the helpers of journeys.mjs: every page visited is checked by axe-core and
// photographed at 375 and 1440 px, and any error the page logs fails the journey.
import { args, axe, check, logIn, runJourney, visit } from './journeys.mjs';

async function openReceptionist(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Receptionist' }).click();
  await page.getByRole('heading', { name: 'Receptionist', level: 1 }).waitFor();
  await page.getByLabel('Business name', { exact: true }).waitFor();
}

// The fieldset of the service named name.
function service(page, name) {
  return page.locator('fieldset.entry').filter({ has: page.locator('legend', { hasText: new RegExp(`^${name}$`) }) });
}

async function focusRing(page) {
  return page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { tag: document.activeElement.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
}

const journeys = {
  // A bad price is named beside its field and nothing is saved; a good one saves a new
  // version (test_dashboard_receptionist.py then calls and hears it).
  async 'rx-price'(page) {
    await logIn(page, args.email, args.password);
    await openReceptionist(page);
    await visit(page, 'receptionist');
    const svc = service(page, args.service);
    const price = svc.getByLabel('Price', { exact: true });
    check(await price.inputValue() === args.old_price, 'the price reads ' + await price.inputValue());
    // by keyboard: the field is reached with Tab and where the focus is can be seen
    await svc.getByLabel('Duration (minutes)').focus();
    await page.keyboard.press('Tab');
    check(await price.evaluate((el) => el === document.activeElement), 'Tab does not reach the price');
    const ring = await focusRing(page);
    check(ring.style !== 'none' && ring.width >= 2, 'no visible focus on the price: ' + JSON.stringify(ring));
    await price.fill(args.bad_price);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const error = svc.locator('.error');
    await error.first().waitFor();
    const said = await error.first().innerText();
    check(/decimal|digits|decimals/.test(said), 'the price error reads ' + said);
    check(await price.getAttribute('aria-invalid') === 'true', 'the price is not marked invalid');
    const errorId = await error.first().getAttribute('id');
    check(((await price.getAttribute('aria-describedby')) || '').split(' ').includes(errorId),
          'the error is not tied to its field');
    // the list above the form names it too, and takes the keyboard to the field
    await page.locator('.problems').getByRole('button', { name: 'services[0].price' }).click();
    check(await price.evaluate((el) => el === document.activeElement), 'the problem does not lead to its field');
    await visit(page, 'receptionist-error');
    await price.fill(args.new_price);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Saved: version \d+ is now active/ }).waitFor();
    check(await svc.locator('.error').count() === 0, 'the error stays after saving');
    await page.locator('.version-row', { hasText: 'Active' }).first().waitFor();
    const top = await page.locator('.version-row').first().innerText();
    check(top.includes(`Version ${args.new_version}`) && top.includes('Active'), 'the newest version is not the active one: ' + top);
    check(await page.getByRole('button', { name: `Restore version ${args.new_version - 1}` }).count() === 1,
          'the previous version has no Restore');
    await visit(page, 'receptionist-saved');
  },

  // "Try it" answers with the greeting typed in the form, not saved, then a question.
  async 'rx-try'(page) {
    await logIn(page, args.email, args.password);
    await openReceptionist(page);
    await page.getByLabel('Greeting', { exact: true }).fill(args.greeting);
    await page.getByRole('button', { name: 'Call' }).click();
    const turns = page.locator('.try-log .turn');
    await turns.first().waitFor();
    const first = await turns.first().innerText();
    check(first.includes(args.greeting), 'Try it greets with ' + first);
    await page.getByLabel('What the caller says').fill(args.question);
    await page.getByLabel('What the caller says').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.try-log .turn').length >= 3);
    const answer = await turns.nth(2).innerText();
    check(answer.includes(args.answer_has), `Try it answers "${answer}", without ${args.answer_has}`);
    await visit(page, 'receptionist-try');
    check(await page.getByRole('button', { name: 'Discard changes' }).count() === 1, 'the unsaved greeting is not marked');
  },

  // Staff read the form but have no Save or Restore, and the API refuses their PUT.
  async 'rx-staff'(page) {
    await logIn(page, args.email, args.password);
    await openReceptionist(page);
    await page.locator('.version-row').first().waitFor();
    check(await page.getByRole('button', { name: 'Save' }).count() === 0, 'staff see a Save button');
    check(await page.getByRole('button', { name: /^Restore/ }).count() === 0, 'staff see a Restore button');
    check(await page.getByLabel('Greeting', { exact: true }).isDisabled(), 'staff can type in the form');
    const status = await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/me')).json();
      const agent = await (await fetch('/api/v1/agent')).json();
      const r = await fetch('/api/v1/agent', { method: 'PUT', body: JSON.stringify(agent.config),
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token } });
      return r.status;
    });
    check(status === 403, 'the API answered a staff PUT with ' + status);
    await visit(page, 'receptionist-staff');
  },

  // The session is lost while editing: Save goes to the login page, and after logging
  // in again the form holds what was typed, which then saves; then the version before
  // is restored.
  async 'rx-lost-session'(page, context) {
    await logIn(page, args.email, args.password);
    await openReceptionist(page);
    await page.getByLabel('Greeting', { exact: true }).fill(args.greeting);
    await context.clearCookies();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    check(page.url().includes('next=%2Freceptionist'), 'the page is not remembered: ' + page.url());
    await axe(page, 'login-after-lost-session');
    await page.getByLabel('Email').fill(args.email);
    await page.getByLabel('Password').fill(args.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Receptionist', level: 1 }).waitFor();
    await page.getByLabel('Greeting', { exact: true }).waitFor();
    check(await page.getByLabel('Greeting', { exact: true }).inputValue() === args.greeting, 'what was typed is lost: ' +
          await page.getByLabel('Greeting', { exact: true }).inputValue());
    await page.getByRole('status').filter({ hasText: 'unsaved changes were kept' }).waitFor();
    await visit(page, 'receptionist-kept');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `Saved: version ${args.version + 1}` }).waitFor();
    // and the version before it is restored from the list
    await page.getByRole('button', { name: `Restore version ${args.version}` }).click();
    await page.getByRole('status').filter({ hasText: `Version ${args.version} is active again` }).waitFor();
    check(await page.getByLabel('Greeting', { exact: true }).inputValue() !== args.greeting,
          'the restored version still shows the newer greeting');
    await page.locator(`.version-row[data-version="${args.version}"]`, { hasText: 'Active' }).waitFor();
  },
};

await runJourney(journeys);
