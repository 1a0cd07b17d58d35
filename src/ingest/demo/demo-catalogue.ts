import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_LABELS_FILE, type DemoLabels } from "./demo-labels.js";

/**
 * A small synthetic TikTok world, written as TikLiveAPI responses in the dump layout, so a fresh
 * install has something real to recommend from and tests have data we own. Seeded: the same seed
 * writes the same files. Topics cross languages on purpose (a Portuguese-speaking skateboarder
 * comments in Portuguese and should still find English skate videos).
 */
interface Topic {
  name: string;
  titles: Record<Lang, string[]>;
  tags: string[];
  music: string[];
  comments: Record<Lang, string[]>;
}
export type Lang = "en" | "pt" | "es" | "id";

const TOPICS: Topic[] = [
  {
    name: "skate",
    tags: ["skate", "skateboarding", "kickflip", "skatepark"],
    music: ["Skate Punk Anthem", "Ollie Beat"],
    titles: {
      en: [
        "Kickflip tutorial for beginners",
        "Landing my first heelflip at the skatepark",
        "Street skating the city at night",
        "Ollie higher with these three tips",
      ],
      pt: [
        "Tutorial de kickflip para iniciantes",
        "Primeira vez na pista de skate nova",
        "Manobras de skate na rua",
      ],
      es: ["Tutorial de kickflip para principiantes", "Patinando en el skatepark"],
      id: ["Belajar kickflip untuk pemula", "Main skateboard di taman"],
    },
    comments: {
      en: [
        "that kickflip was so clean",
        "I need to try this at my local park",
        "how long did it take you to land it",
        "best skate tutorial on here",
      ],
      pt: [
        "que manobra incrível, quero aprender isso no meu skate",
        "mano que kickflip limpo",
        "vou tentar na pista amanhã",
        "skate é vida demais",
      ],
      es: ["qué buen kickflip", "necesito aprender esto en mi patineta"],
      id: ["keren banget kickflipnya", "ajarin dong caranya"],
    },
  },
  {
    name: "cooking",
    tags: ["cooking", "recipe", "pasta", "foodtok"],
    music: ["Kitchen Jazz", "Sunday Dinner"],
    titles: {
      en: [
        "Creamy garlic pasta in 15 minutes",
        "The easiest sourdough bread recipe",
        "Meal prep for the whole week",
        "Homemade pizza dough that never fails",
      ],
      pt: ["Macarrão cremoso em 15 minutos", "Receita fácil de pão caseiro"],
      es: ["Pasta cremosa con ajo en 15 minutos", "Receta fácil de pan casero", "Tacos caseros para la cena"],
      id: ["Resep nasi goreng spesial", "Cara membuat mie ayam rumahan"],
    },
    comments: {
      en: [
        "making this for dinner tonight",
        "that pasta looks amazing",
        "can I use gluten free flour",
        "my kids loved this recipe",
      ],
      pt: ["vou fazer hoje no jantar", "que receita deliciosa"],
      es: ["lo voy a cocinar esta noche", "qué rica se ve esa pasta", "receta guardada"],
      id: ["enak banget kayaknya", "besok mau coba masak ini"],
    },
  },
  {
    name: "football",
    tags: ["football", "soccer", "goal", "skills"],
    music: ["Stadium Chant", "Matchday"],
    titles: {
      en: [
        "Top 10 goals of the season",
        "Free kick technique explained",
        "Training drills to improve your first touch",
      ],
      pt: [
        "Os gols mais bonitos da rodada",
        "Como bater falta igual profissional",
        "Dribles de futebol de rua",
      ],
      es: ["Los mejores goles de la temporada", "Técnica de tiro libre explicada"],
      id: ["Gol terbaik musim ini", "Latihan dribbling sepak bola"],
    },
    comments: {
      en: ["what a strike that was", "that free kick is unreal", "best goal of the season for sure"],
      pt: ["que golaço", "esse drible foi demais", "futebol arte"],
      es: ["qué golazo", "ese tiro libre fue increíble"],
      id: ["golnya keren banget", "skill dewa"],
    },
  },
  {
    name: "parenting",
    tags: ["momlife", "parenting", "baby", "toddler"],
    music: ["Lullaby Lofi", "Morning Routine"],
    titles: {
      en: [
        "Morning routine with a newborn and a toddler",
        "Honest postpartum update",
        "Toddler snack ideas that actually work",
        "What is in my diaper bag",
      ],
      pt: ["Rotina da manhã com bebê", "Ideias de lanche para crianças"],
      es: ["Rutina de mañana con mi bebé", "Ideas de meriendas para niños"],
      id: ["Rutinitas pagi dengan bayi", "Ide bekal anak sekolah"],
    },
    comments: {
      en: [
        "this is exactly my life right now",
        "thank you for being so honest about postpartum",
        "my toddler would never eat that",
        "saving this for when my baby arrives",
      ],
      pt: ["minha rotina é igualzinha", "obrigada pelas dicas mamãe"],
      es: ["así es mi vida de mamá", "gracias por los consejos"],
      id: ["relate banget bun", "makasih tipsnya bunda"],
    },
  },
  {
    name: "makeup",
    tags: ["makeup", "beauty", "grwm", "skincare"],
    music: ["Glow Up", "Vanity Pop"],
    titles: {
      en: [
        "Get ready with me for a wedding",
        "Five minute everyday makeup",
        "My night time skincare routine",
      ],
      pt: ["Maquiagem rápida para o dia a dia", "Arrume-se comigo para uma festa"],
      es: ["Maquillaje natural en cinco minutos", "Prepárate conmigo para una boda"],
      id: ["Makeup natural sehari-hari", "Rutinitas skincare malam"],
    },
    comments: {
      en: ["what foundation are you using", "this look is stunning", "need that lipstick shade"],
      pt: ["que pele perfeita", "qual base você usou"],
      es: ["qué base usaste", "te quedó hermoso"],
      id: ["cantik banget kak", "pakai foundation apa kak"],
    },
  },
  {
    name: "travel",
    tags: ["travel", "beach", "roadtrip", "vacation"],
    music: ["Summer Drive", "Island Breeze"],
    titles: {
      en: ["Hidden beaches you need to visit", "Road trip along the coast", "How I travel cheap in Europe"],
      pt: ["Praias escondidas no nordeste", "Viagem de carro pelo litoral"],
      es: ["Playas escondidas que debes visitar", "Viaje por carretera en la costa"],
      id: ["Pantai tersembunyi di Bali", "Tips liburan hemat"],
    },
    comments: {
      en: ["adding this to my bucket list", "where is this beach", "the water is so clear"],
      pt: ["que lugar lindo", "quero muito ir nessa praia"],
      es: ["qué lugar tan bonito", "dónde queda esa playa"],
      id: ["indah banget pantainya", "ini di mana kak"],
    },
  },
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 2246822519) + 374761393) >>> 0) / 2 ** 32;
}

export interface DemoCatalogueSummary {
  creators: number;
  videos: number;
  comments: number;
  commenters: number;
}

/**
 * Writes the demo catalogue under `dir` (users/, posts/, comments/), and beside them labels.json
 * (each video's topic and language, each commenter's topics and language: the ground truth of
 * eval:cross-lingual, which ingestion never reads), and says what it wrote.
 */
export function writeDemoCatalogue(dir: string, seed = 20240101): DemoCatalogueSummary {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  for (const sub of ["users", "posts", "comments"]) mkdirSync(join(dir, sub), { recursive: true });

  // Commenters have one favourite topic and a language; a few are multi-topic.
  const commenters = Array.from({ length: 60 }, (_, i) => ({
    id: `demo-user-${i}`,
    unique_id: `fan_${i}`,
    nickname: `Fan ${i}`,
    lang: (["en", "en", "pt", "es", "id"] as const)[i % 5] as Lang,
    topics:
      i % 7 === 0
        ? [TOPICS[i % TOPICS.length]!.name, TOPICS[(i + 2) % TOPICS.length]!.name]
        : [TOPICS[i % TOPICS.length]!.name],
  }));
  // The newcomer from the brief: a Portuguese-speaking skateboarder.
  commenters.push({
    id: "demo-user-skater-pt",
    unique_id: "skatista_br",
    nickname: "Skatista BR",
    lang: "pt",
    topics: ["skate"],
  });

  const langs: Lang[] = ["en", "pt", "es", "id"];
  // Every topic in English and two other languages (skate: English, Portuguese, Spanish).
  const creators = TOPICS.flatMap((topic, t) =>
    (["en", langs[1 + (t % 3)]!, langs[1 + ((t + 1) % 3)]!] as Lang[]).map((lang, k) => ({
      topic,
      lang,
      index: t * 10 + k,
    })),
  );
  let videoCount = 0;
  let commentCount = 0;
  const labels: DemoLabels = { users: [], videos: [] };
  const commentsBy = new Map<string, number>();
  const base = Date.UTC(2024, 0, 1) / 1000;
  for (const { topic, lang, index } of creators) {
    const creatorId = String(7_000_000_000_000 + index);
    const username = `${topic.name}_${lang}_${index}`;
    const followers = Math.round(1000 * 10 ** (random() * 3));
    writeJson(join(dir, "users", `${username}.json`), {
      user: {
        id: creatorId,
        uniqueId: username,
        nickname: `${topic.name} ${lang}`.toUpperCase(),
        signature: `${topic.titles[lang][0]} and more ${topic.tags
          .slice(0, 2)
          .map((x) => `#${x}`)
          .join(" ")}`,
        verified: followers > 100_000,
        region: { en: "US", pt: "BR", es: "MX", id: "ID" }[lang],
        privateAccount: false,
      },
      stats: {
        followerCount: followers,
        followingCount: Math.round(random() * 500),
        heartCount: followers * 12,
        videoCount: 8,
        diggCount: 0,
        friendCount: 10,
      },
    });
    const videos = Array.from({ length: 8 }, (_, v) => {
      const id = `${7_300_000_000_000_000 + index * 100 + v}`;
      const created = base + (index * 8 + v) * 86_400 + Math.floor(random() * 3600);
      const title = `${pick(topic.titles[lang])} ${topic.tags
        .slice(0, 1 + (v % 3))
        .map((x) => `#${x}`)
        .join(" ")}`;
      const plays = Math.round(followers * (0.5 + random() * 5));
      return {
        video_id: id,
        aweme_id: id,
        title,
        region: "US",
        create_time: created,
        duration: 10 + Math.floor(random() * 50),
        play_count: plays,
        digg_count: Math.round(plays * 0.08),
        comment_count: 0,
        share_count: Math.round(plays * 0.01),
        collect_count: Math.round(plays * 0.01),
        is_pinned: false,
        is_ad: false,
        music_info: {
          id: `m${index}${v}`,
          title: pick(topic.music),
          author: username,
          original: v % 2 === 0,
        },
        author: { id: creatorId, unique_id: username, nickname: username },
      };
    });
    for (const video of videos) {
      const fans = commenters.filter(
        (c) => c.topics.includes(topic.name) && (c.lang === lang || random() < 0.35),
      );
      const comments = fans
        .filter(() => random() < 0.6)
        .map((fan, n) => ({
          id: `${video.video_id}${String(n).padStart(3, "0")}`,
          video_id: video.video_id,
          text: pick(topic.comments[fan.lang]),
          create_time: video.create_time + 600 + n * 97,
          digg_count: Math.floor(random() * 40),
          reply_total: 0,
          reply_to_id: null,
          user: { id: fan.id, unique_id: fan.unique_id, nickname: fan.nickname },
        }));
      for (const c of comments) commentsBy.set(c.user.id, (commentsBy.get(c.user.id) ?? 0) + 1);
      video.comment_count = comments.length;
      commentCount += comments.length;
      writeJson(join(dir, "comments", `${video.video_id}.json`), { comments });
    }
    videoCount += videos.length;
    for (const video of videos)
      labels.videos.push({ videoId: video.video_id, creatorId, topic: topic.name, lang });
    writeJson(join(dir, "posts", `${creatorId}.json`), { videos: [...videos].reverse() });
  }
  labels.users = commenters.map((c) => ({
    userId: c.id,
    lang: c.lang,
    topics: c.topics,
    comments: commentsBy.get(c.id) ?? 0,
  }));
  writeJson(join(dir, DEMO_LABELS_FILE), labels);
  writeJson(join(dir, "manifest.json"), {
    name: "demo-catalogue",
    seed,
    creators: creators.length,
    videos: videoCount,
    comments: commentCount,
  });
  return {
    creators: creators.length,
    videos: videoCount,
    comments: commentCount,
    commenters: commenters.length,
  };
}

function writeJson(path: string, body: unknown) {
  writeFileSync(path, `${JSON.stringify(body)}\n`);
}
