import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { GraphQLProvider } from '@/lib/urql';
import './globals.css';

export const metadata: Metadata = { title: 'Anneal', description: 'Fine-tuning runs and experiments' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip">
          Skip to content
        </a>
        <header className="top">
          <a href="/" className="brand">
            Anneal
          </a>
        </header>
        <main id="main" tabIndex={-1}>
          <GraphQLProvider>{children}</GraphQLProvider>
        </main>
      </body>
    </html>
  );
}
