import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './explorer.css';
import { meta } from '../shared/dom';

// Monaco's workers come from the gateway's own /assets (built with this bundle): no CDN, works offline.
(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    const file = label === 'json' ? 'json.worker' : label === 'graphql' ? 'graphql.worker' : 'editor.worker';
    return new Worker(`/assets/${file}.js`);
  },
};

// Signed in, the explorer acts as the officer (the session cookie with its CSRF header); else as the public.
const csrf = meta('csrf');
const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  headers: csrf ? { [meta('csrf-header') ?? 'x-lapor-csrf']: csrf } : {},
});

const main = Object.assign(document.createElement('main'), { id: 'main', tabIndex: -1, className: 'explorer' });
document.getElementById('app')!.replaceChildren(main);
// GraphiQL's tabs are `li role=tab` holding buttons (nested interactive controls, which screen
// readers cannot reach): they are made a plain list of buttons, the current one marked.
new MutationObserver(() => {
  main.querySelectorAll('[role="tablist"]').forEach((list) => list.removeAttribute('role'));
  main.querySelectorAll('li[role="tab"]').forEach((tab) => {
    tab.removeAttribute('role');
    tab.querySelector('button')?.setAttribute('aria-current', String(tab.getAttribute('aria-selected') === 'true'));
    tab.removeAttribute('aria-selected');
  });
}).observe(main, { childList: true, subtree: true });
createRoot(main).render(createElement(GraphiQL, { fetcher, defaultQuery: '# LAPOR! Hub\n{\n  categories { id name }\n}\n' }));
