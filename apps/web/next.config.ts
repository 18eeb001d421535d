// The dashboard talks to the API through this server (src/app/graphql/route.ts proxies `/graphql`), so the
// session cookie is first-party and no CORS is needed.
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
};
export default config;
