import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeDemoCatalogue, type DemoCatalogueSummary } from "../../src/ingest/demo/demo-catalogue.js";

/** A fresh copy of the demo catalogue in a temporary dump folder. */
export function demoDump(): { dir: string; summary: DemoCatalogueSummary } {
  const dir = mkdtempSync(join(tmpdir(), "tiktok-recs-dump-"));
  return { dir, summary: writeDemoCatalogue(dir) };
}

export function copyDump(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tiktok-recs-dump-"));
  cpSync(from, dir, { recursive: true });
  return dir;
}

export function editJson(path: string, edit: (body: any) => void): void {
  const body = JSON.parse(readFileSync(path, "utf8"));
  edit(body);
  writeFileSync(path, JSON.stringify(body));
}

export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, "utf8"));
}
