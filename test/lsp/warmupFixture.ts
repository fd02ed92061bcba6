// The language server tests' split-size fixture: a LAVIS YAML whose 50 warm-up steps outlast epoch 0 (LV4053) when
// its training split, counted from a local annotation file, has under 500 records (batches of 10).

/** `n` caption records, as a COCO caption annotation file holds them. */
export const captionRecords = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ image: `${i}.jpg`, caption: "a cat", image_id: i })));

/** The experiment, training on the annotation file at `train`. */
export const warmupExperiment = (train: string) => `model:
  arch: blip_caption
  model_type: base_coco
  load_finetuned: False
datasets:
  coco_caption:
    vis_processor:
      train:
        name: blip_image_train
        image_size: 384
    text_processor:
      train:
        name: blip_caption
    build_info:
      annotations:
        train:
          storage: ${train}
run:
  task: captioning
  lr_sched: linear_warmup_cosine_lr
  init_lr: 1e-5
  min_lr: 0
  warmup_lr: 1e-6
  warmup_steps: 50
  max_epoch: 2
  batch_size_train: 10
  batch_size_eval: 10
  output_dir: out
  train_splits: ["train"]
`;
