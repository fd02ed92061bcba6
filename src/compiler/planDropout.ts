// `lavisc plan`'s account of what a training forward pass drops: the BLIP family's dropout and drop-path rates
// (`text_hidden_dropout`, `text_attention_dropout`, `vit_drop_path`: stdlib/encoders.lv, from the med config and
// vit_type), read from the resolved model config as the runtime reads them. Evaluation drops nothing.

export interface DropoutPlan {
  /** Dropout of the text side's hidden states (embeddings, attention and feed-forward outputs). */
  readonly textHidden: number;
  /** Dropout of the text side's attention probabilities. */
  readonly textAttention: number;
  /** Drop-path rate of the ViT's last block (0 at the first, linear in between). */
  readonly vitDropPath: number;
  readonly vitDepth: number;
}

/** The rates of a BLIP-family config; null for an arch without them (CLIP has no dropout, as LAVIS's). */
export function planDropout(config: Readonly<Record<string, unknown>>): DropoutPlan | null {
  const n = (k: string) => (typeof config[k] === "number" ? (config[k] as number) : null);
  const [textHidden, textAttention, vitDropPath, vitDepth] = [n("text_hidden_dropout"), n("text_attention_dropout"), n("vit_drop_path"), n("vit_depth")];
  if (textHidden === null || textAttention === null || vitDropPath === null || vitDepth === null) return null;
  return { textHidden, textAttention, vitDropPath, vitDepth };
}

/** One line of `plan`'s model section. */
export function dropoutText(d: DropoutPlan): string {
  if (!d.textHidden && !d.textAttention && !d.vitDropPath) return "dropout in training: none (text_hidden_dropout, text_attention_dropout and vit_drop_path are 0)";
  const vit = d.vitDropPath ? `ViT drop-path 0 at block 1 rising to ${d.vitDropPath} at block ${d.vitDepth}` : "no ViT drop-path";
  return `dropout in training: text hidden states ${d.textHidden}, attention probabilities ${d.textAttention}; ${vit}; evaluation drops nothing`;
}
