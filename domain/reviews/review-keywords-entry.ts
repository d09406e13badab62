/* What the keyword benchmark (bench/reviews-keywords.mjs) bundles: the extraction and the count. */
export { extractComplaints } from './complaint-keywords';
export { countComplaints } from './review-rules';
