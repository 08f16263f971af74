import { describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';

const TOKEN = 'dashboard-secret-token';
const { sim } = useSandbox({ env: { SIM_ADMIN_TOKEN: TOKEN } });

/** With SIM_ADMIN_TOKEN, the dashboard needs the token as /_sim does: a sign-in sets an HttpOnly cookie both accept. */
describe('the dashboard behind SIM_ADMIN_TOKEN', () => {
  it('sends a browser without the token to the sign-in page, keeping where it was going', async () => {
    const response = await fetch(`${sim.url}/dashboard/records/1?x=1`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/dashboard/login?next=${encodeURIComponent('/dashboard/records/1?x=1')}`);
    const login = await fetch(`${sim.url}/dashboard/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('type="password"');
  });

  it('refuses a wrong token and signs in with the right one, and the cookie opens the dashboard and /_sim', async () => {
    const form = (token: string, next = '/dashboard/reference') =>
      fetch(`${sim.url}/dashboard/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, next }).toString(),
        redirect: 'manual',
      });
    const wrong = await form('not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const right = await form(TOKEN);
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/dashboard/reference');
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const jar = cookie.split(';')[0]!;

    expect((await fetch(`${sim.url}/dashboard/reference`, { headers: { cookie: jar } })).status).toBe(200);
    expect((await fetch(`${sim.url}/_sim/records`, { headers: { cookie: jar } })).status).toBe(200);
    expect((await fetch(`${sim.url}/_sim/records`)).status).toBe(401);
    expect((await fetch(`${sim.url}/_sim/records`, { headers: { cookie: 'sim_admin_token=wrong' } })).status).toBe(401);
    // The cookie does not lift the cross-site rule: a write from another origin is still refused.
    const foreign = await fetch(`${sim.url}/_sim/reset`, { method: 'POST', headers: { cookie: jar, origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
  });

  it('goes nowhere but the dashboard after signing in', async () => {
    const response = await fetch(`${sim.url}/dashboard/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN, next: 'https://evil.example/' }).toString(),
      redirect: 'manual',
    });
    expect(response.headers.get('location')).toBe('/dashboard');
  });

  it('leaves the hosted pay pages open to payers', async () => {
    expect((await fetch(`${sim.url}/pay/mmsp/000`)).status).toBe(404);
  });
});
