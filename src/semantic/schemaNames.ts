// The stdlib schemas the compiler looks up by name, and the section names a file may write.

export const SCHEMAS = {
  project: "Project", recipe: "Recipe", model: "ModelConfig", modelCommon: "ModelCommon", dataset: "DatasetConfig",
  /** A BERT config JSON (`lavisc.med_config`), and LAVIS's own ones by path (stdlib/encoders.lv). */
  medConfig: "MedConfig", lavisMedConfigs: "LavisMedConfigs",
} as const;
/** stdlib/forks.lv: keys LAVIS forks add to each section, known where a fork's extension makes the section extend them. */
export const FORK_SCHEMAS = { project: "ForkProject", recipe: "ForkRecipe", model: "ForkModelConfig", dataset: "ForkDatasetConfig" } as const;
/** Section names as written (`recipe.`, `data.`) to LAVIS's; a null-prototype table, so `__proto__` is no section. */
export const SECTIONS: Readonly<Record<string, string>> = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, {
  recipe: "run", run: "run", model: "model", datasets: "datasets", data: "datasets", preprocess: "preprocess", lavisc: "lavisc",
}));
