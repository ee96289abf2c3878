import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTextCipher, resolveEncryptionKey } from "../../../src/db/crypto.ts";

describe("encryption of free text at rest", () => {
  const cipher = createTextCipher(Buffer.alloc(32, 1).toString("base64"));

  it("round-trips a note and never stores the plaintext", () => {
    const stored = cipher.encrypt("rough day, craving after the call with mum");
    expect(stored).not.toContain("craving");
    expect(stored.startsWith("v1:")).toBe(true);
    expect(cipher.decrypt(stored)).toBe("rough day, craving after the call with mum");
  });

  it("gives different ciphertext for the same note each time", () => {
    expect(cipher.encrypt("same")).not.toBe(cipher.encrypt("same"));
  });

  it("refuses a tampered ciphertext or the wrong key", () => {
    const stored = cipher.encrypt("private");
    const tampered = `${stored.slice(0, -2)}AA`;
    expect(() => cipher.decrypt(tampered)).toThrow();
    expect(() => createTextCipher(Buffer.alloc(32, 2).toString("base64")).decrypt(stored)).toThrow();
  });

  it("without ENCRYPTION_KEY, generates one key into the data folder and reuses it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "key-"));
    const first = resolveEncryptionKey(undefined, dir);
    expect(first.generatedAt).toBe(path.join(dir, "encryption.key"));
    expect(readFileSync(path.join(dir, "encryption.key"), "utf8").trim()).toBe(first.key);
    const second = resolveEncryptionKey(undefined, dir);
    expect(second).toEqual({ key: first.key });
    rmSync(dir, { recursive: true });
  });
});
