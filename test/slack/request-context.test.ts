import { describe, expect, it } from 'vitest';
import { requestContext } from '../../src/slack/request-context.js';

describe('requestContext', () => {
  it('reads a slash command: its name, team and user', () => {
    const context = requestContext({ command: '/jelou-card', team_id: 'T1', user_id: 'U1', text: '+593' });
    expect(context).toMatchObject({ slackType: '/jelou-card', teamId: 'T1', userId: 'U1' });
    expect(context.requestId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('reads an interaction: its type and the nested team and user ids', () => {
    expect(
      requestContext({ type: 'view_submission', team: { id: 'T2', domain: 'x' }, user: { id: 'U2' } }),
    ).toMatchObject({ slackType: 'view_submission', teamId: 'T2', userId: 'U2' });
  });

  it('leaves out fields of another shape instead of failing the whole request', () => {
    const context = requestContext({ type: 7, team: 'T3', user: { id: 42 }, team_id: ['T'] });
    expect(context).toMatchObject({ slackType: undefined, teamId: undefined, userId: undefined });
  });

  it.each([null, undefined, 'text', 42, ['a']])('gives only a request id for a body that is %j', (body) => {
    const context = requestContext(body);
    expect(
      Object.entries(context)
        .filter(([, value]) => value !== undefined)
        .map(([key]) => key),
    ).toEqual(['requestId']);
  });

  it('gives each request its own id', () => {
    expect(requestContext({}).requestId).not.toBe(requestContext({}).requestId);
  });
});
