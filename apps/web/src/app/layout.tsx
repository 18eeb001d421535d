import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SessionGate } from '@/lib/Session';
import { THEME_SCRIPT, ThemeToggle } from '@/lib/theme';
import { GraphQLProvider } from '@/lib/urql';
import './globals.css';

export const metadata: Metadata = { title: 'Anneal', description: 'Fine-tuning runs and experiments' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // data-theme is set before paint by THEME_SCRIPT (the remembered light/dark choice), so it may differ.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* A constant script of ours (no user data): the remembered theme before the first paint. */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <a href="#main" className="skip">
          Skip to content
        </a>
        <GraphQLProvider>
          <SessionGate
            header={
              <a href="/" className="brand">
                Anneal
              </a>
            }
            tools={<ThemeToggle />}
          >
            {children}
          </SessionGate>
        </GraphQLProvider>
      </body>
    </html>
  );
}
