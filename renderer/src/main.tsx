import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './Root';
import './styles.css';

// Served at /ui (no slash), move to /ui/ so the page's relative links and hash routes resolve alike.
if (window.location.protocol.startsWith('http') && window.location.pathname.endsWith('/ui'))
  window.history.replaceState(
    null,
    '',
    `${window.location.pathname}/${window.location.search}${window.location.hash}`,
  );

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
