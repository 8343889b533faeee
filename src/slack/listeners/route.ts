/**
 * One Bolt listener per kind of request, routing by id, instead of one per id. Bolt runs every
 * registered listener's matching middleware for every request it receives (`App.processEvent`
 * maps over all of them, each chain a few promises), so 17 `app.action` and 4 `app.view` calls
 * cost every slash command, click and submission 21 chains that could not match: about a tenth of
 * the CPU of opening the form (BENCHMARKS.md). A Map lookup does the same matching once.
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction>;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;

/** One listener for one id, as `app.action(id, listener)` would take it. */
export type Route<Args> = readonly [id: string, listener: (args: Args & AllMiddlewareArgs) => Promise<void>];

/**
 * A route for a block action with a more specific payload (a button, a select). The cast makes the
 * promise `app.action<BlockButtonAction>(id, …)` makes: the id names the element that sent it.
 */
export function action<A extends BlockAction>(
  id: string,
  listener: (args: SlackActionMiddlewareArgs<A> & AllMiddlewareArgs) => Promise<void>,
): Route<ActionArgs> {
  return [id, listener as unknown as Route<ActionArgs>[1]];
}

export function view(id: string, listener: Route<ViewArgs>[1]): Route<ViewArgs> {
  return [id, listener];
}

/** A pattern matching exactly these ids, for Bolt's constraint (it tests ids against a RegExp). */
function exactly(ids: Iterable<string>): RegExp {
  const escaped = [...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(?:${escaped.join('|')})$`);
}

function table<Args>(routes: readonly Route<Args>[]): Map<string, Route<Args>[1]> {
  const byId = new Map<string, Route<Args>[1]>();
  for (const [id, listener] of routes) {
    if (byId.has(id)) throw new Error(`two listeners for ${id}`);
    byId.set(id, listener);
  }
  return byId;
}

/** Every block action the app answers, through one Bolt listener. */
export function routeActions(app: App, routes: readonly Route<ActionArgs>[]): void {
  const byId = table(routes);
  const listener: Middleware<ActionArgs> = (args) =>
    byId.get(args.action.action_id)?.(args) ?? Promise.resolve();
  app.action<BlockAction>({ type: 'block_actions', action_id: exactly(byId.keys()) }, listener);
}

/** Every view submission the app answers, through one Bolt listener. */
export function routeViews(app: App, routes: readonly Route<ViewArgs>[]): void {
  const byId = table(routes);
  const listener: Middleware<ViewArgs> = (args) =>
    byId.get(args.view.callback_id)?.(args) ?? Promise.resolve();
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: exactly(byId.keys()) }, listener);
}
