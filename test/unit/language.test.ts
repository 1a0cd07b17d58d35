import assert from "node:assert/strict";
import { it } from "node:test";
import { detectLanguage } from "../../src/ingest/language.js";

it("tags the languages of our data, and 'und' where there is no language", () => {
  assert.equal(detectLanguage("Kickflip tutorial for beginners, landing it at the skatepark"), "en");
  assert.equal(detectLanguage("que manobra incrível, quero aprender isso no meu skate"), "pt");
  assert.equal(detectLanguage("qué buen kickflip, necesito aprender esto en mi patineta"), "es");
  assert.equal(detectLanguage("keren banget kickflipnya, ajarin dong caranya kak"), "id");
  for (const none of ["", "😂😂😂", "#fyp #foryou #viral", "@someone ❤️", "https://example.com/x"]) {
    assert.equal(detectLanguage(none), "und", JSON.stringify(none));
  }
});
