/** ../shared/fixtures beside the repository (CI clones main with shared/ beside it). */
import { join } from 'node:path';

export const SHARED_FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
