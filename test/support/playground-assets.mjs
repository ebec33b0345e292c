// vitest globalSetup: the playground's browser assets are generated before tests that serve the pages
// from source (a no-op when src/playground/assets.generated.js is newer than its sources).
import { buildPlaygroundAssets } from '../../scripts/build-playground.mjs';

export default async function setup() {
  await buildPlaygroundAssets();
}
