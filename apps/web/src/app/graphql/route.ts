// `/graphql` on the dashboard's origin, proxied to the API: queries, mutations and SSE subscriptions.
import { proxy } from '@/lib/proxy';

export const dynamic = 'force-dynamic';

const graphql = (req: Request) => proxy(req, '/graphql');

export { graphql as GET, graphql as POST };
