// The GraphQL schema, code-first with Pothos. Relay conventions: a Node interface with prefixed global ids
// (`run_<uuid>`, `project_<uuid>`, accepted wherever an id is taken), connections with a total count.
// Every resolver checks the viewer's role in the project it touches (auth.ts); list fields batch their loads
// through per-request DataLoaders, so a page of runs with their metrics costs a fixed number of statements.
import { builder } from './graphql/builder.ts';
import './graphql/runs.ts';
import './graphql/artifacts.ts';
import './graphql/attempts.ts';
import './graphql/artifact-by-id.ts';
import './graphql/launch.ts';
import './graphql/groups.ts';
import './graphql/users.ts';
import './sweeps/graphql.ts';

export {
  type ConfigIssues,
  type Context,
  createApiPubSub,
  createLoaders,
  type ProjectRow,
  type PubSub,
  parseId,
  RUN_STATUSES,
  type RunRow,
} from './graphql/builder.ts';

export const schema = builder.toSchema({ sortSchema: true });
