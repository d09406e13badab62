// The guest app: boots the router and renders the current view into #app.
import { render } from '/lib/ui.js';
import { App } from './shell.js';

render(App(), document.getElementById('app'));
