// The journeys of the dashboard's Messages, Leads, Texts, Team and Numbers pages, run by
// test_dashboard_pages.py as
//   node journeys_pages.mjs NAME '{"url": ..., ...}'
// with the helpers of journeys.mjs: every page visited is checked by axe-core and
// photographed at 375 and 1440 px, and any error the page logs fails the journey.
import { args, check, axe, visit, logIn, assertNone, runJourney } from './journeys.mjs';

async function navTo(page, label) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { name: label, level: 1 }).waitFor();
}

// Presses Tab until the element matching selector has the focus; fails if it never does
// or if the focus cannot be seen.
async function tabTo(page, selector) {
  await page.locator('body').focus();
  for (let i = 0; i < 60 && !(await page.evaluate((s) => document.activeElement?.matches(s), selector)); i++)
    await page.keyboard.press('Tab');
  const ring = await page.evaluate((s) => {
    const el = document.activeElement;
    const st = getComputedStyle(el);
    return { is: el.matches(s), style: st.outlineStyle, width: parseFloat(st.outlineWidth) };
  }, selector);
  check(ring.is, `the keyboard never reaches ${selector}`);
  check(ring.style !== 'none' && ring.width >= 2, `no visible focus on ${selector}: ` + JSON.stringify(ring));
}

const journeys = {
  // Today lists the message as not answered; marked handled with the keyboard, it leaves
  // Today and stays on Messages, handled, under the filters that should show it.
  async messages(page) {
    await logIn(page, args.email, args.password);
    const onToday = page.locator(`li.message[data-message="${args.message_id}"]`);
    await onToday.waitFor();
    const text = await onToday.innerText();
    check(text.includes(args.message) && text.includes(args.caller_display) && text.includes('Not answered yet'),
          'Today shows the message as ' + JSON.stringify(text));
    await visit(page, 'today-unanswered');
    await tabTo(page, `li.message[data-message="${args.message_id}"] button`);
    await page.keyboard.press('Enter');
    await onToday.waitFor({ state: 'detached' });
    await page.getByText('No messages waiting — every message has been answered.').waitFor();
    await page.waitForTimeout(500);         // the page reloads itself after the mark: still gone
    check(await onToday.count() === 0, 'the handled message came back on Today');
    await visit(page, 'today-answered');

    await navTo(page, 'Messages');
    const row = page.locator(`li.message[data-message="${args.message_id}"]`);
    await row.waitFor();
    const listed = await row.innerText();
    check(listed.includes(args.message) && listed.includes('Handled') && listed.includes(args.email),
          'Messages shows it as ' + JSON.stringify(listed));
    check(await row.getByRole('button', { name: /Mark handled/ }).count() === 0, 'a handled message offers "Mark handled"');
    await visit(page, 'messages-all');
    await page.getByLabel('Show').selectOption('false');
    await page.waitForURL(/handled=false/);
    await page.getByText('No messages waiting — every message has been answered.').waitFor();
    check(await row.count() === 0, 'the handled message is listed as not handled');
    await visit(page, 'messages-unhandled');
    await page.getByLabel('Show').selectOption('true');
    await row.waitFor();
    await page.reload();
    await row.waitFor();
    check(await page.getByLabel('Show').inputValue() === 'true', 'the filter is lost on reload');
  },

  // Highest score first, each with its reasons; the best opens its call, the text
  // conversation's its thread.
  async leads(page) {
    await logIn(page, args.email, args.password);
    await navTo(page, 'Leads');
    await page.locator('li.lead').first().waitFor();
    const scores = (await page.locator('li.lead .lead-score').allInnerTexts()).map(Number);
    check(JSON.stringify(scores) === JSON.stringify(args.scores),
          `scores read ${JSON.stringify(scores)}, not ${JSON.stringify(args.scores)}`);
    const reasons = await page.locator('li.lead .reasons').allInnerTexts();
    check(reasons.every((r) => r && r !== 'No reasons given.'), 'a lead without reasons: ' + JSON.stringify(reasons));
    const channels = await page.locator('li.lead .channel').allInnerTexts();
    check(channels.filter((c) => c === 'Texts').length === 1, 'channels: ' + JSON.stringify(channels));
    await visit(page, 'leads');
    await page.getByLabel('Order').selectOption('newest');
    await page.waitForURL(/sort=newest/);
    await page.waitForFunction((n) => document.querySelectorAll('li.lead').length === n, args.scores.length);
    await page.getByLabel('Order').selectOption('score');
    await page.waitForFunction((first) => document.querySelector('li.lead .lead-score')?.textContent === String(first),
                               args.scores[0]);
    await page.locator('li.lead').first().getByRole('link', { name: 'Open the call' }).click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    await page.goBack();
    const textLead = page.locator('li.lead', { hasText: args.texter_display });
    await textLead.waitFor();
    check((await textLead.locator('.lead-score').innerText()) === String(args.text_score), 'the text lead\'s score');
    await textLead.getByRole('link', { name: 'Open the texts' }).click();
    await page.getByRole('heading', { name: 'Texts with ' + args.texter_display }).waitFor();
  },

  async texts(page) {
    await logIn(page, args.email, args.password);
    await navTo(page, 'Texts');
    const thread = page.locator('li.thread', { hasText: args.texter_display });
    await thread.waitFor();
    await visit(page, 'texts');
    await thread.getByRole('link').click();
    await page.getByRole('heading', { name: 'Texts with ' + args.texter_display }).waitFor();
    const turns = page.locator('ol.texts li');
    await turns.first().waitFor();
    const said = await turns.locator('p').allInnerTexts();
    const kinds = await turns.evaluateAll((lis) => lis.map((li) => li.classList.contains('caller') ? 'in' : 'out'));
    check(said[0] === args.text && kinds[0] === 'in', 'the thread does not start with the text: ' + JSON.stringify(said));
    const reply = said.indexOf(args.reply);
    check(reply > 0 && kinds[reply] === 'out', 'the receptionist\'s reply is not after it: ' + JSON.stringify(said));
    await visit(page, 'thread');
    await page.reload();
    await turns.first().waitFor();
  },

  // The owner adds a staff user and another owner-to-be, makes the second an owner,
  // then removes them (after the confirmation, which "Keep them" leaves be).
  async team(page) {
    await logIn(page, args.email, args.password);
    await navTo(page, 'Team');
    await page.locator('li.user-row').first().waitFor();
    check((await page.locator('li.user-row').allInnerTexts()).length === 1, 'a new business has more than its owner');
    await visit(page, 'team-alone');
    // The list reloads after each change; slowed, so typing during a reload is tried.
    await page.route((u) => u.pathname === '/api/v1/users', async (route) => {
      if (route.request().method() === 'GET') await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    const add = async (email, role) => {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('First password').fill(args.staff_password);
      await page.getByLabel('Role', { exact: true }).selectOption(role);
      await page.getByRole('button', { name: 'Add to the team' }).click();
      await page.getByRole('status').filter({ hasText: `${email} was added as ${role}.` }).waitFor();
      // The form empties for the next person, and stays as typed while the list reloads.
      check(await page.getByLabel('Email').inputValue() === '', 'the form still holds the added email');
      await page.getByLabel('Email').fill('next@example.com');
      await page.locator('li.user-row', { hasText: email }).waitFor();
      check(await page.getByLabel('Email').inputValue() === 'next@example.com', 'the list reload emptied the form');
    };
    await page.getByLabel('Email').fill('not an email');
    await page.getByLabel('First password').fill('short');
    await page.getByRole('button', { name: 'Add to the team' }).click();
    await page.locator('.add-user .error').first().waitFor();
    await axe(page, 'team-errors');
    await add(args.staff_email, 'staff');
    await add(args.other_email, 'staff');
    const other = page.locator('li.user-row', { hasText: args.other_email });
    await other.getByLabel('Role of ' + args.other_email).selectOption('owner');
    await page.getByRole('status').filter({ hasText: `${args.other_email} is now owner.` }).waitFor();
    await visit(page, 'team');
    await other.getByRole('button', { name: 'Remove ' + args.other_email }).click();
    const dialog = page.getByRole('dialog', { name: `Remove ${args.other_email}?` });
    await dialog.waitFor();
    await axe(page, 'team-remove');
    await dialog.getByRole('button', { name: 'Keep them' }).click();
    await dialog.waitFor({ state: 'detached' });
    await other.getByRole('button', { name: 'Remove ' + args.other_email }).click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('status').filter({ hasText: `${args.other_email} was removed.` }).waitFor();
    check(await other.count() === 0, 'the removed user is still listed');
    await page.waitForTimeout(500);         // the list reloads after the change: still gone
    check(await other.count() === 0, 'the removed user came back');
    const me = page.locator('li.user-row', { hasText: args.email });
    check(await me.getByRole('button').count() === 0 && await me.locator('select').count() === 0,
          'the owner is offered to change or remove themselves');
  },

  async 'team-staff'(page) {
    await logIn(page, args.email, args.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    check(await nav.getByRole('link', { name: 'Team' }).count() === 0, 'staff see Team in the navigation');
    check(await nav.getByRole('link', { name: 'Messages' }).count() === 1, 'staff do not see Messages');
    await page.goto(args.url + '/team');
    await page.getByTestId('owners-only').waitFor();
    check(await page.locator('li.user-row').count() === 0, 'staff see the team');
    await visit(page, 'team-staff');
  },

  async numbers(page) {
    await logIn(page, args.email, args.password);
    await navTo(page, 'Numbers');
    const row = page.locator('li.number-row', { hasText: args.number_display });
    await row.waitFor();
    check((await row.locator('.state').innerText()) === 'Active', 'the number is not active');
    check((await row.innerText()).includes('Answering since'), 'no date for the number');
    await visit(page, 'numbers');
  },

  // A business just signed up: each page says what will show there, and the number
  // being bought.
  async empty(page) {
    await logIn(page, args.email, args.password);
    const pages = [['Messages', 'No messages yet — when a caller leaves one, it shows here.'],
                   ['Leads', 'No leads yet — each call and text conversation is scored once it ends.'],
                   ['Texts', 'No texts yet — when someone texts your number, the conversation shows here.']];
    for (const [label, sentence] of pages) {
      await navTo(page, label);
      await page.getByText(sentence).waitFor();
      await visit(page, label.toLowerCase() + '-empty');
    }
    await navTo(page, 'Numbers');
    const row = page.locator('li.number-row');
    await row.waitFor();
    check((await row.locator('.state').innerText()) === 'Being set up', 'the number request reads ' +
          await row.locator('.state').innerText());
    await visit(page, 'numbers-pending');
  },

  // B's pages show B's own lead and thread (the text confirming its caller's booking),
  // no messages, and nothing of A's; A's thread is not found.
  async 'pages-isolation'(page) {
    await logIn(page, args.email, args.password);
    await page.locator('.messages, .empty').first().waitFor();
    await assertNone(page, 'Today');
    await navTo(page, 'Messages');
    await page.getByText('No messages yet — when a caller leaves one, it shows here.').waitFor();
    await visit(page, 'messages-empty');
    await navTo(page, 'Leads');
    await page.locator('li.lead').first().waitFor();
    check(await page.locator('li.lead').count() === 1, 'B sees more than its one lead');
    await assertNone(page, 'Leads');
    await navTo(page, 'Texts');
    await page.locator('li.thread', { hasText: args.own_caller }).waitFor();     // the booking's confirmation
    check(await page.locator('li.thread').count() === 1, 'B sees more than its one thread');
    await assertNone(page, 'Texts');
    await page.goto(args.url + '/texts/' + args.texter);      // the address names the number; nothing else shows
    await page.getByText('No texts with that number.').waitFor();
    check(await page.locator('ol.texts li').count() === 0, 'the other business\'s thread shows texts');
    const shown = await page.locator('main').innerText();
    for (const word of args.forbidden.filter((w) => w !== args.texter_display))
      check(!shown.includes(word), `the other business's thread shows its "${word}"`);
    await navTo(page, 'Numbers');
    await page.locator('li.number-row', { hasText: args.own_number }).waitFor();
    await assertNone(page, 'Numbers');
  },
};

await runJourney(journeys);
