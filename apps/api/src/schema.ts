// The GraphQL schema, code-first with Pothos, one file per domain under schema/ (a type, its queries and its
// mutations together; see builder.ts for the builder and its root types). Relay conventions: a Node interface
// with prefixed global ids (`run_<uuid>`, `project_<uuid>`, accepted wherever an id is taken), connections
// with a total count. Every resolver checks the viewer's role in the project it touches (access.ts); list
// fields batch their loads through per-request DataLoaders (context.ts), so a page of runs with their metrics
// costs a fixed number of statements.
import { builder } from './builder.ts';
import './schema/scalars.ts';
import './schema/project.ts';
import './schema/user.ts';
import './schema/member.ts';
import './schema/api-keys.ts';
import './schema/run.ts';
import './schema/metrics.ts';
import './schema/logs.ts';
import './schema/tables.ts';
import './schema/attempts.ts';
import './schema/artifacts.ts';
import './schema/launch.ts';
import './schema/groups.ts';
import './schema/tryit.ts';
import './schema/views.ts';
import './sweeps/graphql.ts';

// Kept for the packages that build a pub/sub for createApi from here (test/stack.ts, the client's tests).
export { createApiPubSub } from './context.ts';

export const schema = builder.toSchema({ sortSchema: true });
