// The home page of a business with 100,000 calls, run by test_dashboard_big.py as
//   node journeys_big.mjs today-100k '{"url": ..., ...}'
// Measured, reported, not asserted: first contentful paint and the chart drawn, with
// the browser's cache empty (a new profile) and then warm (the same page loaded again),
// and the JavaScript the first load shipped, compressed. Asserted: what the owner reads
// (the 30 days' calls) is what PostgreSQL holds.
import { args, check, runJourney, visit } from './journeys.mjs';

async function timeToday(page) {
  await page.goto(args.url + '/');
  await page.locator('.chart canvas').waitFor({ timeout: 30000 });
  return page.evaluate(() => {
    const scripts = performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'script'
      || r.name.endsWith('.js'));
    return {
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      chart: performance.now(),
      jsBytes: scripts.reduce((n, r) => n + r.transferSize, 0),
      jsFiles: scripts.length,
    };
  });
}

const journeys = {
  async 'today-100k'(page) {
    // signed in through the API, so the first page this profile loads is Today itself
    const login = await page.request.post(args.url + '/api/v1/login',
      { data: { email: args.email, password: args.password } });
    check(login.ok(), `login answered ${login.status()}`);
    const cold = await timeToday(page);
    const calls = await page.locator('td[data-figure="calls"]').nth(2).innerText();
    check(calls === String(args.calls_30_days),
      `the 30 days' calls read ${calls}, not ${args.calls_30_days} as PostgreSQL holds`);
    await visit(page, 'today-100k');
    const warm = await timeToday(page);
    const ms = (x) => `${Math.round(x)} ms`;
    console.log(`Today with ${args.calls} calls, cache empty: first contentful paint ${ms(cold.fcp)}, `
      + `chart drawn by ${ms(cold.chart)} (goal < 1000 ms); warm: ${ms(warm.fcp)}, ${ms(warm.chart)} `
      + `(goal < 300 ms); JavaScript shipped: ${(cold.jsBytes / 1024).toFixed(1)} KiB compressed in `
      + `${cold.jsFiles} files (goal < 150 KiB)`);
  },
};

await runJourney(journeys);
