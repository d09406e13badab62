// The stylesheet of the ordering views after the first screen (menu, checkout, order).
import { sheet } from '../sheets.js';

await sheet('/app/views/ordering.css');
