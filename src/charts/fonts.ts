import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The DejaVu Sans files from the dejavu-fonts-ttf package: the only fonts a chart is drawn with. */
export function fontFiles(): string[] {
  const dir = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  return ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) => join(dir, file));
}
