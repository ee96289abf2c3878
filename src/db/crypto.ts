import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * AES-256-GCM for free text at rest (notes, tokens). Ciphertext is `v1:<iv>:<tag>:<data>` in
 * base64, so a future key rotation can tell versions apart.
 */
export interface TextCipher {
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}

function keyFrom(base64: string): Buffer {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new Error("encryption keys must be 32 bytes in base64");
  return key;
}

function decryptWith(key: Buffer, value: string): string {
  const [version, iv, tag, data] = value.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not a v1 ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}

/**
 * Encrypts with the current key; decrypts with the current key or, during a key rotation, any
 * previous one (GCM's tag tells a wrong key at once).
 */
export function createTextCipher(keyBase64: string, previousKeysBase64: string[] = []): TextCipher {
  const key = keyFrom(keyBase64);
  const previous = previousKeysBase64.map(keyFrom);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
    },
    decrypt(value) {
      let lastError: unknown;
      for (const candidate of [key, ...previous]) {
        try {
          return decryptWith(candidate, value);
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError instanceof Error ? lastError : new Error("cannot decrypt");
    },
  };
}

/**
 * The key from ENCRYPTION_KEY, or for the embedded default one generated once into
 * `<dataDir>/encryption.key`. Losing that file makes stored notes unreadable: back it up with the data.
 */
export function resolveEncryptionKey(configured: string | undefined, dataDir: string): { key: string; generatedAt?: string } {
  if (configured) return { key: configured };
  const file = path.resolve(dataDir, "encryption.key");
  if (existsSync(file)) return { key: readFileSync(file, "utf8").trim() };
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32).toString("base64");
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, generatedAt: file };
}
