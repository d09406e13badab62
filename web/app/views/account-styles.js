// The stylesheet of the guest's account pages and the share-link pages.
import { sheet } from '../sheets.js';

await sheet('/app/views/account.css');
