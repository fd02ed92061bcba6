// Writes generated images' descriptions as LAVIS-format annotation files: Karpathy-style caption/retrieval lists,
// VQAv2-style question lists (+ answer list and COCO-format question/annotation files for eval splits), and
// classification records with a class-name list.
import type { DatasetFolder } from "./datasetFolder.js";
import type { AnnotationLayout } from "./preparedDataset.js";

export interface GeneratedQuestion {
  readonly question: string;
  readonly answer: string;
  readonly answerType: "yes/no" | "number" | "other";
}

export interface GeneratedImage {
  /** Relative to the dataset's images/ folder. */
  readonly image: string;
  readonly imageId: string;
  readonly captions: readonly string[];
  readonly questions: readonly GeneratedQuestion[];
  /** Class index, or null when the image is left out of classification. */
  readonly label: number | null;
}

/** VQAv2 has 10 human answers per question; repeating ours 10 times makes the official accuracy reach 1 when right. */
const ANSWERS_PER_QUESTION = 10;

export function writeLavisAnnotations(folder: DatasetFolder, splits: Readonly<Record<string, readonly GeneratedImage[]>>, classnames: readonly string[]): { layout: AnnotationLayout; files: string[] } {
  const files: string[] = [];
  const put = (rel: string, value: unknown): string => { folder.writeJson(rel, value); files.push(rel); return rel; };
  const layout: AnnotationLayout = { caption: {}, retrieval: {}, vqa: {}, classification: {} };
  const answers = new Set<string>();
  for (const imgs of Object.values(splits)) for (const img of imgs) for (const q of img.questions) answers.add(q.answer);
  const answerList = put("annotations/vqa_answer_list.json", [...answers].sort());
  const classFile = put("annotations/classnames.json", classnames);
  let questionId = 0;
  for (const [split, imgs] of Object.entries(splits)) {
    const train = split === "train";
    const captions = put(`annotations/captions_${split}.json`, train
      ? imgs.flatMap((img) => img.captions.map((caption) => ({ image: img.image, caption, image_id: img.imageId })))
      : imgs.map((img) => ({ image: img.image, image_id: img.imageId, caption: img.captions })));
    layout["caption"]![split] = [captions];
    layout["retrieval"]![split] = [captions];

    const qs = imgs.flatMap((img) => img.questions.map((q) => ({ img, q, id: questionId++ })));
    const vqa = put(`annotations/vqa_${split}.json`, qs.map(({ img, q, id }) => ({
      question_id: id, question: q.question, answer: Array(ANSWERS_PER_QUESTION).fill(q.answer), image: img.image, image_id: img.imageId, answer_type: q.answerType,
    })));
    if (train) layout["vqa"]![split] = [vqa];
    else {
      const questions = put(`annotations/vqa_${split}_questions.json`, { questions: qs.map(({ img, q, id }) => ({ question_id: id, image_id: img.imageId, question: q.question })) });
      const annotations = put(`annotations/vqa_${split}_annotations.json`, {
        annotations: qs.map(({ img, q, id }) => ({
          question_id: id, image_id: img.imageId, question_type: q.question.split(" ").slice(0, 2).join(" "), answer_type: q.answerType,
          multiple_choice_answer: q.answer,
          answers: Array.from({ length: ANSWERS_PER_QUESTION }, (_, i) => ({ answer: q.answer, answer_confidence: "yes", answer_id: i + 1 })),
        })),
      });
      layout["vqa"]![split] = [vqa, answerList, questions, annotations];
    }
    const cls = put(`annotations/classification_${split}.json`, imgs.filter((img) => img.label !== null)
      .map((img) => ({ image: img.image, label: img.label, image_id: img.imageId })));
    layout["classification"]![split] = [cls, classFile];
  }
  return { layout, files };
}
