import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SessionGate } from '@/lib/Session';
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
        <GraphQLProvider>
          <SessionGate
            header={
              <a href="/" className="brand">
                Anneal
              </a>
            }
          >
            {children}
          </SessionGate>
        </GraphQLProvider>
      </body>
    </html>
  );
}
