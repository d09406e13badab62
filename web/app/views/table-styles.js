// The table banner's and the shared rounds' stylesheet (views/table.js, views/table-rounds.js).
import { sheet } from '../sheets.js';

await sheet('/app/views/table.css');
