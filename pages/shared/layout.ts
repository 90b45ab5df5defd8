import { h, replace } from './dom';
import { currentLanguage, t, type MessageKey } from './i18n';

/** The link to this page in the other language, keeping the rest of the address. */
function languageSwitch(): HTMLElement {
  const other = currentLanguage() === 'id' ? 'en' : 'id';
  const url = new URL(location.href);
  url.searchParams.set('lang', other);
  return h('a', { href: `${url.pathname}${url.search}${url.hash}`, hreflang: other, lang: other, class: 'language' }, t('common.other-language'));
}

/**
 * Every page's frame: a banner with the product, the page's own navigation and the language
 * switch, then `main` (the skip link's target) holding `content`.
 */
export function frame(title: MessageKey, navigation: HTMLElement[], ...content: HTMLElement[]): HTMLElement {
  const app = document.getElementById('app')!;
  const main = h('main', { id: 'main', tabindex: '-1' }, h('h1', {}, t(title)), ...content);
  replace(
    app,
    h(
      'header',
      { class: 'banner' },
      h('p', { class: 'brand' }, h('a', { href: withLanguage('/') }, 'LAPOR!'), h('span', {}, t('common.tagline'))),
      h('nav', { 'aria-label': t('common.navigation') }, h('ul', {}, navigation.map((link) => h('li', {}, link)), h('li', {}, languageSwitch()))),
    ),
    main,
    h('footer', { class: 'footer' }, h('p', {}, t('common.footer'))),
  );
  return main;
}

/** A path of this site in the page's language, when English was asked for. */
export function withLanguage(path: string): string {
  if (currentLanguage() !== 'en') return path;
  const [base, hash] = path.split('#');
  return `${base}${base.includes('?') ? '&' : '?'}lang=en${hash ? `#${hash}` : ''}`;
}

export function navLink(href: string, label: MessageKey, current = false): HTMLElement {
  return h('a', { href: withLanguage(href), 'aria-current': current ? 'page' : null }, t(label));
}
