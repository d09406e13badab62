// The guest app: boots the router and renders the current view into #app.
import { render } from '/lib/ui.js';
import { App } from './shell.js';

const root = document.getElementById('app');
// The static "loading" line is for before the scripts run; preact would render beside it.
root.replaceChildren();
render(App(), root);
