import type { Severity } from "./diagnostic.js";

interface CatalogEntry {
  readonly severity: Severity;
  /** One sentence. `{name}` placeholders are filled from the diagnostic's arguments. */
  readonly message: string;
  readonly hint?: string;
  /** What the code is about, where the message says little without its arguments (a stdlib check's own words). */
  readonly title?: string;
}

/**
 * Every message lavisc prints, keyed by a stable code.
 * LV1xxx syntax, LV2xxx names and modules, LV3xxx types and values, LV4xxx constraints and compatibility,
 * LV5xxx execution graph, LV6xxx runtime and environment, LV9xxx internal.
 */
export const messages = {
  // --- syntax -------------------------------------------------------------------------------
  LV1001: { severity: "error", message: "Unexpected character `{char}`.", hint: "Remove it; strings go in double quotes." },
  LV1002: { severity: "error", message: "Expected {expected} but found {found}." },
  LV1003: { severity: "error", message: "This string is not closed before the end of the line.", hint: "Add the closing `\"`." },
  LV1004: { severity: "error", message: "Unknown escape sequence `{escape}` in a string.", hint: "Valid escapes are \\n, \\t, \\r, \\\", \\\\, \\$ and \\u{XXXX}." },
  LV1005: { severity: "error", message: "This block comment is not closed.", hint: "Add `*/` where the comment ends." },
  LV1006: { severity: "error", message: "Unexpected {found} after the end of the declarations.", hint: "Top-level declarations are `import`, `experiment`, `schema`, `enum`, `arch`, `builder`, `processor`, `task`, `scheduler` and `runner`." },
  LV1007: { severity: "error", message: "Imports must come before the declarations of a file.", hint: "Move this `import` to the top of the file." },
  LV1008: { severity: "error", message: "The YAML could not be parsed: {detail}." },
  LV1009: { severity: "error", message: "Duplicate key `{key}` in YAML mapping.", hint: "OmegaConf rejects duplicate keys; keep one of them." },
  LV1010: { severity: "error", message: "YAML {feature} are not supported in LAVIS configs.", hint: "Write the value out in full." },
  LV1011: { severity: "error", message: "File could not be read: {detail}." },
  LV1012: { severity: "error", message: "Unsupported file type `{ext}`.", hint: "lavisc reads `.lv` files and LAVIS `.yaml`/`.yml` files." },
  LV1013: { severity: "error", message: "This value is nested more than {max} levels deep ({what}).", hint: "lavisc reads at most {max} levels of nesting (a LAVIS config needs fewer than ten); write the value flatter." },
  LV1014: { severity: "error", message: "The YAML aliases of this file expand to more than {max} values.", hint: "Each `*alias` copies its anchor's whole value; aliases of aliases multiply (a \"billion laughs\" file). Write the values out, or alias smaller parts." },
  LV1015: { severity: "error", message: "The YAML tag `{tag}` cannot be read: {detail}.", hint: "OmegaConf's loader (PyYAML's SafeLoader) refuses it, so LAVIS would too; remove the tag and write the plain value." },
  LV1016: { severity: "error", message: "A YAML merge key (`<<`) takes a mapping or a list of mappings, not {found}.", hint: "OmegaConf's loader refuses it; merge a mapping, e.g. `<<: *base` or `<<: [*base, *extra]`." },
  LV1017: { severity: "error", message: "`{text}` is {kind} to OmegaConf's YAML loader, but Python's {conversion} cannot convert it: LAVIS stops with a ValueError when it reads this value.", hint: "PyYAML's number patterns admit underscores and an empty digit part (`0x_`, `._`). Quote the value (`\"{text}\"`) to keep it as text, or write the number in full." },
  LV1018: { severity: "error", message: "The key `{key}` is {what} to OmegaConf's YAML loader, not the text `{key}`: {consequence}.", hint: "Quote the key (`\"{key}\"`) to make it text." },
  LV1019: { severity: "error", message: "This `${` in a string is not a reference lavisc can read: {detail}.", hint: "Write `${a.b}` for the value of the key `a.b` inside the text, or `\\${` for the text `${`." },
  LV1020: { severity: "warning", message: "`lavisc: {kind}` names no diagnostic codes, so it silences nothing.", hint: "Name the warnings it silences, e.g. `lavisc: {kind}[LV4019]` (several: `[LV4019, LV4002]`)." },
  LV1021: { severity: "warning", message: "`{code}` in `lavisc: {kind}[...]` is not a lavisc diagnostic code.", hint: "A code is what `lavisc check` prints in brackets, e.g. `warning[LV4019]`." },
  LV1022: { severity: "warning", message: "`lavisc: {kind}[{code}]` silences nothing: {where} has no {code} warning.", hint: "Remove it (or the code), so that it cannot hide a later problem." },
  LV1023: { severity: "warning", message: "`{code}` is an error here, and `lavisc: ignore` silences warnings only: an error is what LAVIS or the run would stop on.", hint: "Fix what the error says; the comment leaves it reported." },
  LV1024: { severity: "warning", message: "{count} more problems with this file's `lavisc: ignore` comments are not shown.", hint: "Fix the ones shown and check again; lavisc reads a file's first 10,000 codes." },
  LV1025: { severity: "error", message: "This interpolated string is longer than {max} characters.", hint: "Each `${...}` copies the whole text it names; strings built from strings multiply (`${a}${a}` doubles `a`). A LAVIS value (a path, a prompt) is far shorter: write the text out." },
  LV1026: { severity: "error", message: "The `${...}` interpolations of this experiment copy more than {max} values.", hint: "Each interpolation of a map or a list copies all of it, and copies of copies multiply (`b: {x: ${a}, y: ${a}}` doubles `a`); lavisc reads the copies past the budget as null. A LAVIS config copies a few dozen values: name smaller parts, or write the values out." },
  LV1027: { severity: "error", message: "This int (`{start}...`) is longer than {max} characters.", hint: "Python's int() refuses decimal text this long (since 3.11), and no LAVIS value is near this size; lavisc reads it as text. Write the number you mean." },

  // --- names and modules ----------------------------------------------------------------------
  LV2001: { severity: "error", message: "Unknown key `{key}` in {section}." },
  LV2002: { severity: "error", message: "Duplicate key `{key}` in {section}.", hint: "Keep one of the two; the later one would silently win in LAVIS." },
  LV2003: { severity: "error", message: "Unknown model architecture `{name}`." },
  LV2004: { severity: "error", message: "Unknown model type `{name}` for architecture `{arch}`." },
  LV2005: { severity: "error", message: "Unknown dataset builder `{name}`." },
  LV2006: { severity: "error", message: "Unknown dataset type `{name}` for builder `{builder}`." },
  LV2007: { severity: "error", message: "Unknown task `{name}`." },
  LV2008: { severity: "error", message: "Unknown processor `{name}`." },
  LV2009: { severity: "error", message: "Unknown learning-rate scheduler `{name}`." },
  LV2010: { severity: "error", message: "Unknown runner `{name}`." },
  LV2011: { severity: "error", message: "Unknown name `{name}`; expected one of {expected}." },
  LV2012: { severity: "error", message: "Cannot resolve the reference `{name}`." },
  LV2013: { severity: "error", message: "Cannot find the module `{name}`." },
  LV2014: { severity: "error", message: "Cannot find the experiment `{name}` to extend." },
  LV2015: { severity: "error", message: "The reference `{name}` is circular: {cycle}." },
  LV2016: { severity: "error", message: "Duplicate declaration `{name}`." },
  LV2017: { severity: "error", message: "Unknown type `{name}`." },
  LV2018: { severity: "error", message: "The experiment has no {what}.", hint: "{fix}" },
  LV2019: { severity: "error", message: "A file given to lavisc must declare one experiment; found {count}." },
  LV2020: { severity: "error", message: "`{clause}` is not allowed in {where}." },
  LV2021: { severity: "warning", message: "Top-level key `{key}` is ignored by LAVIS.", hint: "LAVIS only reads `model`, `datasets` and `run`; this section is dropped." },
  LV2022: { severity: "error", message: "The override `{text}` is not of the form KEY=VALUE." },
  LV2023: { severity: "error", message: "Unknown override section `{section}` in `{key}`.", hint: "Overrides start with `model.`, `datasets.<name>.`, `run.` (or `recipe.`)." },
  LV2024: { severity: "warning", message: "This YAML file is not a LAVIS config: it has none of the sections `model`, `datasets`, `run`, `preprocess` or `env`.", hint: "lavisc checks LAVIS project files and their default files; there is nothing to check here." },
  LV2025: { severity: "info", message: "`model.arch` is `{written}`, but this file is the default config of `{arch}({type})`; LAVIS takes the arch from the project, so this value is never read.", hint: "It is checked as a default of `{arch}`." },
  LV2026: { severity: "warning", message: "`{name}` is not a registered {kind}, and no {kind} names this file as a default config, so nothing loads it.", hint: "Register the {kind} in the repository's Python code (`lavisc registry scan DIR` reads the registrations), or remove the file." },
  LV2027: { severity: "info", message: "The repository registers its own {kind} `{name}`, which LAVIS also registers; its files are checked with the repository's." },
  LV2028: { severity: "error", message: "The repository registers {kind} `{name}` in LAVIS's own registry, which already has it: the import raises KeyError (\"Name '{name}' already registered\").", hint: "Register it under a new name." },
  LV2029: { severity: "warning", message: "The default config `{path}` of {kind} `{name}` (type `{type}`) is not in the repository.", hint: "A project that uses `{name}` fails when LAVIS's Config loads it; the extension marks the type invalid." },
  LV2030: { severity: "warning", message: "Cannot evaluate {what} statically: `{text}`.", hint: "The extension leaves it out; declare it by hand in a `.lavisc/*.lv` file if it matters." },
  LV2031: { severity: "info", message: "`{key}` is used only in this file and is close to `{known}`, a key of {section}; the scan did not declare it.", hint: "If it is a typo, `lavisc check` reports it as an unknown key." },
  LV2032: { severity: "error", message: "`{file}` is empty: it declares no experiment.", hint: "An experiment file holds `experiment NAME { ... }` (see `lavisc migrate` for LAVIS YAML)." },
  LV2033: { severity: "error", message: "`{file}` declares no experiment to {what}.", hint: "It only declares {declares}; give a file with `experiment NAME { ... }`." },
  LV2034: { severity: "error", message: "Import cycle: {chain}.", hint: "Imports bring in declarations once; remove the import that closes the cycle." },
  LV2035: { severity: "error", message: "`extends` cycle: {chain}.", hint: "An experiment cannot extend itself, directly or through others; remove the `extends` that closes the cycle." },
  LV2037: { severity: "error", message: "The `extends` chain is longer than {max} experiments: {chain}.", hint: "An experiment needs a few levels of `extends`; merge some of these bases into one file." },
  LV2038: { severity: "error", message: "Schema `{name}` inherits through more than {max} schemas; its bases are not read.", hint: "A schema needs a few levels of bases; declare the keys of some of them in one schema." },
  LV2039: { severity: "error", message: "The reference `{name}` leads through more than {max} references, one to the next.", hint: "OmegaConf resolves a chain of references recursively and stops with a RecursionError after about 60; write a value out somewhere along the chain." },
  LV2047: { severity: "error", message: "The chain of imports is longer than {max} files: {chain}.", hint: "Import the modules from one file rather than each from the next." },
  LV2048: { severity: "error", message: "`--options {option}` goes on through `{list}`, the list that `--options {earlier}` gives: {why}.", hint: "Give the whole list in one option (`{list}=[...]`), or a map instead of the list." },
  LV2049: { severity: "error", message: "`{file}` is {role}, so it holds no experiment to {what}.", hint: "{fix}" },
  LV2050: { severity: "warning", message: "The code falls back to `{path}` when `{key}` is not set: an absolute path on the machine it was written on.", hint: "An experiment that leaves `{key}` out reads that path ({users}); set `{key}` in its config. `lavisc check` warns where an experiment leaves it out (LV4079)." },
  LV2051: { severity: "error", message: "`extends {name}` is ambiguous: {files} each declare an experiment `{name}`." },
  LV2052: { severity: "error", message: "`{file}` declares {count} experiments ({names}), so extending the file does not say which one." },
  LV2036: { severity: "error", message: "Unknown device `{name}`.", hint: "{fix}" },
  LV2040: { severity: "error", message: "An experiment has one `sweep` block; this is a second one.", hint: "Move these axes into the first `sweep` block." },
  LV2041: { severity: "error", message: "`{key}` is swept twice.", hint: "Keep one axis per key; put keys that move together in one `zip`." },
  LV2042: { severity: "error", message: "The sweep axis `{key}` does not start with a section.", hint: "Axes are key paths such as `recipe.init_lr`, `model.image_size` or `datasets.<name>.<key>`." },
  LV2043: { severity: "error", message: "`--set {key}` sets a key that the sweep varies.", hint: "Drop the --set, or the sweep axis over `{key}`." },
  LV2044: { severity: "error", message: "`{key}` cannot be swept: {why}." },
  LV2045: { severity: "error", message: "The sweep filter reads keys by their full path; the bare name `{name}` is a name, not the key.", hint: "Write `{section}.{name}`." },
  LV2046: { severity: "error", message: "`{file}` has no trial {id}: {why}.", hint: "`lavisc sweep {file} --dry-run` lists the trials." },

  // --- types and values -------------------------------------------------------------------------
  LV3001: { severity: "error", message: "`{path}` expects {expected} but got {actual}." },
  LV3002: { severity: "error", message: "`{path}` must be {bound} but is {value}." },
  LV3003: { severity: "error", message: "`{path}` is required{when} but has no value.", hint: "{fix}" },
  LV3004: { severity: "error", message: "`{path}` cannot be null.", hint: "Give it a value or remove the key to use its default." },
  LV3005: { severity: "error", message: "`{path}` is an interpolation (`${...}`), which lavisc cannot resolve: {detail}." },
  LV3006: { severity: "error", message: "Cannot evaluate this expression: {detail}." },
  LV3020: { severity: "error", message: "A `{scale}` range needs {what}." },
  LV3021: { severity: "error", message: "The axes of a `zip` move together, so they need as many values each: `{a}` has {n}, `{b}` has {m}." },
  LV3022: { severity: "error", message: "The sweep has no trials: {why}." },
  LV3023: { severity: "error", message: "The sweep filter cannot be decided for trial {trial}: {detail}." },
  LV3007: { severity: "error", message: "`{path}` is `???`, OmegaConf's missing value, and no layer sets it: LAVIS stops with MissingMandatoryValue where its code reads the key.", hint: "Set the value here, or with `--options {path}=...`; a `???` only says that something else must." },
  LV3024: { severity: "error", message: "The sweep has {count} trials to check; lavisc checks every trial before running any, up to {max}.", hint: "Remove values, `zip` axes that move together, or add a `limit`." },
  LV3025: { severity: "warning", message: "`{key}` lists {value} again: the trials that take it twice are the same experiment, run twice.", hint: "Remove the repeated value; to run one setting several times, sweep `recipe.seed` over different seeds." },
  LV3026: { severity: "warning", message: "`{path}` is the float {value}: lavisc reads it as {int}, but LAVIS's code gets a float where it needs an int.", hint: "Write {int}: torch's DataLoader refuses a float batch size, numpy a float seed, and a model a float layer size; only the keys LAVIS's runner converts with int() (max_epoch, max_iters, ...) take a float." },
  LV3029: { severity: "error", message: "The med config's hidden_act is \"{value}\", which the tfjs engine cannot build (its BERT layers use \"gelu\").", hint: "Use a med config with \"hidden_act\": \"gelu\", or run the experiment with LAVIS: `lavisc run --engine lavis`." },
  LV3030: { severity: "error", message: "The med config's position_embedding_type is \"{value}\", which the tfjs engine cannot build (its BERT layers use \"absolute\" position embeddings).", hint: "Use a med config without position_embedding_type (or \"absolute\"), or run the experiment with LAVIS: `lavisc run --engine lavis`." },

  // --- constraints and compatibility --------------------------------------------------------------
  LV4001: { severity: "error", message: "{message}", title: "A check the stdlib declares fails." },
  LV4002: { severity: "warning", message: "{message}", title: "A warning the stdlib declares applies." },
  LV4003: { severity: "error", message: "Task `{task}` cannot use model `{arch}`, which does not support {capability}." },
  LV4004: { severity: "error", message: "Task `{task}` cannot use dataset `{dataset}`." },
  LV4005: { severity: "error", message: "Split `{split}` in `{key}` is not provided by {datasets}." },
  LV4006: { severity: "error", message: "Captioning evaluates exactly one split, but `{key}` lists {count}." },
  LV4007: { severity: "error", message: "`runner_iter` needs `{key}`." },
  LV4008: { severity: "error", message: "`train_dataset_ratios` names `{name}`, which is not a dataset of this experiment." },
  LV4009: { severity: "error", message: "`load_finetuned` is true but the model has no `finetuned` weights." },
  LV4010: { severity: "warning", message: "`{key}` is ignored by {by}." },
  LV4012: { severity: "warning", message: "Dataset `{dataset}` is merged with the default file of `{other}`, as LAVIS does; lavisc uses the defaults of `{dataset}`." },
  LV4013: { severity: "error", message: "The default config of `{dataset}` (type `{type}`) cannot be loaded: {detail}." },
  LV4014: { severity: "warning", message: "The override of `{key}` does not change which default config LAVIS loads; it still loads `{original}`.", hint: "Change the value in the file itself." },
  LV4017: { severity: "warning", message: "`{path}` looks like a placeholder: \"{value}\".", hint: "Replace it with the real path before running." },
  LV4016: { severity: "error", message: "The annotation `url` of split `{split}` in dataset `{dataset}` is null.", hint: "LAVIS downloads or copies every annotation `url`; give one per `storage` entry, or remove the split." },
  LV4018: { severity: "error", message: "Task `{task}` is lavisc's own; LAVIS has no such task, so this experiment cannot be {action}." },
  LV4019: { severity: "warning", message: "`{path}` is {value}, {whose}; {other}.", hint: "Set `{key}` explicitly to say which you mean ({where}).", title: "A key left to a default on which LAVIS's documentation and its code disagree." },
  LV4020: { severity: "error", message: "`med_config_path` \"{path}\" names neither one of LAVIS's BERT configs nor a readable BERT config JSON: {detail}." },
  LV4030: { severity: "warning", message: "This file declares a sweep of {count} combinations; this command uses the experiment without the sweep's values.", hint: "`lavisc sweep {file}` checks and runs the trials; `{file}#t01` names one trial (in `check`, `plan`, `explain`, `run`, `diff`, ...)." },
  LV4050: { severity: "error", message: "The `{split}` batches of dataset `{dataset}` have no {fields}, which {reader}." },
  LV4051: { severity: "error", message: "Model `{arch}` reads {fields} {when}, which the batches of {datasets} do not have.", hint: "Use datasets whose batches carry these keys (see the errors at each dataset), or a model that does not read them." },
  LV4052: { severity: "warning", message: "`max_len` is {maxLen} tokens, far beyond the training text the model saw: {limits}.", hint: "Generated text longer than any training target drifts and repeats; lower max_len, or raise the limits and train again." },
  LV4053: { severity: "warning", message: "`warmup_steps` is {warmup}, but epoch 0 has at most {iterations} iterations: LAVIS warms up in epoch 0 only, so the ramp stops at about {percent}% of init_lr and the rate jumps when epoch 1 starts." },
  LV4054: { severity: "warning", message: "`accum_grad_iters` is {accum}, but an epoch has at most {iterations} iterations: LAVIS steps the optimizer when (i + 1) % accum_grad_iters == 0 with i restarting every epoch, so it never steps." },
  LV4055: { severity: "error", message: "Captioning cannot score split `{split}` of dataset `{dataset}`: {why}.", hint: "Set `run.annotation_file` to this split's ground truth in COCO format, or evaluate the split named in valid_splits." },
  LV4056: { severity: "warning", message: "Dataset `{dataset}` has its own `{split}` annotations, but captioning scores datasets named \"coco\" against the COCO Karpathy {split} captions, not these.", hint: "Set `run.annotation_file` to the ground truth of these annotations (COCO format), or register the data under a builder whose name lacks \"coco\"." },
  LV4057: { severity: "error", message: "Split `{split}` of dataset `{dataset}` lists {urls} annotation url(s) but {storage} storage path(s); LAVIS pairs them position by position and stops on `assert len(urls) == len(storage_paths)`.", hint: "Give one `storage` entry per `url`, in the same order." },
  LV4058: { severity: "warning", message: "Split `{split}` of dataset `{dataset}` downloads `{file}` (url {from}) into storage entry {from}, `{other}`, though storage entry {to} has that name: url and storage lists are in different orders.", hint: "LAVIS pairs url and storage by position; put both lists in the same order, or the dataset reads one file as another." },
  LV4059: { severity: "error", message: "Task `{task}` cannot score split `{split}`: the storage list of {datasets} has no COCO-format {files} file for it and {keys} name none, so {outcome}." },
  LV4060: { severity: "warning", message: "`max_len` is {maxLen}, but `{arch}` generates with max_length counting its {queries} query embeddings (model.{key}) and the prompt, so nothing is left to generate.", hint: "Recent transformers versions refuse a negative length (\"max_length is set to -6\"); older ones return empty captions." },
  LV4061: { severity: "warning", message: "Split `{split}` of `{dataset}` is part of its `{within}` split, and {by}: the scores measure training data.", hint: "Evaluate on a split the model has not seen (test, or a held-out part), or train without it." },
  LV4062: { severity: "error", message: "`load_finetuned` is false and `load_pretrained` true, but the model has no `pretrained` weights to load.", hint: "Set `pretrained` to a checkpoint path or URL, or set `load_pretrained = false` to train from scratch; LAVIS's assert on this is always true and it fails later with \"checkpoint url or path is invalid\"." },
  LV4063: { severity: "error", message: "Dataset `{dataset}` has `data_type` `{type}`, but its `build_info` has no `{type}` block with the media storage, which LAVIS reads (\"'NoneType' object has no attribute 'storage'\")." },
  LV4064: { severity: "error", message: "Split `{split}` of dataset `{dataset}` is also provided by {others}; LAVIS evaluates each split on one dataset and stops with \"Do not support multiple {split} datasets.\" when building the loaders." },
  LV4065: { severity: "error", message: "`resume_ckpt_path` resumes `{arch}`, whose checkpoints leave out {frozen} (frozen parameters are not saved), and LAVIS loads them strictly: \"Missing key(s) in state_dict\".", hint: "For LAVIS's engine, start from the checkpoint as `model.finetuned` with `load_finetuned = true` (loaded non-strictly; the optimizer state and the epoch start afresh) instead of resuming; `lavisc run` (the tfjs engine) resumes lavisc's own checkpoints exactly and does not need this." },
  LV4066: { severity: "warning", message: "`max_iters` ({max}) is not a multiple of iters_per_inner_epoch ({inner}): RunnerIter runs whole inner epochs, {epochs} of them, so it trains {runs} iterations, {extra} more than max_iters; {schedule}.", hint: "Make max_iters a multiple of iters_per_inner_epoch: {runs} says what runs." },
  LV4067: { severity: "warning", message: "`inference_method` is `{method}`, but `{arch}` answers only by {methods}: {consequence}." },
  LV4068: { severity: "warning", message: "`{path}: ???` does not unset the value: OmegaConf's merge keeps {value} from {origin}.", hint: "`???` marks a value as missing only where nothing under it sets one. Write the value you want instead." },
  LV4069: { severity: "warning", message: "`{path}` is `???`, OmegaConf's missing value, and no layer sets it; lavisc uses {value} from {origin}, as LAVIS does where its code reads the key with a default (where it reads it without one, LAVIS stops with MissingMandatoryValue).", hint: "Set the value to say which you mean." },
  LV4070: { severity: "error", message: "`{path}` is {over} here but {base} in {where}: OmegaConf's merge stops on it (ConfigTypeError: Cannot merge DictConfig with ListConfig).", hint: "LAVIS merges this layer over that one; OmegaConf merges a map into a map and replaces anything else, but a map and a list cannot replace each other. Write {base} (or null, to clear the value)." },
  LV4071: { severity: "error", message: "Task `{task}` looks up split `{split}` in every dataset ({source}), but dataset `{dataset}` has no `{split}` split (its splits: {has}): LAVIS stops with `KeyError: '{split}'` in VQATask.build_datasets, before anything runs." },
  LV4072: { severity: "warning", message: "`valid_splits` is {splits}, without `{best}`: LAVIS keeps a best checkpoint only for a split named `{best}`, so no checkpoint_best is written{test}." },
  LV4073: { severity: "error", message: "`{key}` is {value}, but the `{which}` weights of `{model}` were trained with {key} {trained}{detail}: loading them stops with `size mismatch` (torch's load_state_dict, strict or not; {reports})." },
  LV4075: { severity: "error", message: "`{arch}` ranks answers from the answer list that task `{task}` takes from its validation splits, but `valid_splits` is empty: {when} stops with {failure}." },
  LV4076: { severity: "warning", message: "{sampler}: with more than one GPU each rank evaluates a shard of the split, but `{arch}`'s compute_sim_matrix sizes its scores for the whole split and adds the ranks' scores, so the retrieval metrics come out wrong in silence (LAVIS#270)." },
  LV4077: { severity: "warning", message: "`model.{key}` is set, but LAVIS's `{arch}` never reads it: {how}." },
  LV4078: { severity: "warning", message: "Dataset `{dataset}` has annotations of its own for {own}, but {splits}, which the run evaluates, still {read} the builder's default annotations: LAVIS merges a project's annotations into the default's split by split, so the scores there are on the default's data, not yours.", hint: "Give {splits} annotations of your own under `build_info.annotations` (url and storage), or leave {them} out of the run's splits (LAVIS#720)." },
  LV4079: { severity: "warning", message: "`{path}` is not set, so the repository's code falls back to `{value}`, an absolute path on the machine the code was written on.", hint: "Set `{path}` to the path on this machine (a fallback to the author's folder fails only when the job starts)." },
  LV4080: { severity: "warning", message: "Split `{split}` of `{dataset}`, which the run evaluates for retrieval, has {count} {images} with an empty `caption` list (first: {file} record {index}): LAVIS scores each as a miss (RetrievalTask._report_metrics ranks it 1e20), lowering txt_r1/r5/r10 without a word, and `lavisc run` refuses it before training.", hint: "Give each image its captions, or remove its record." },
  LV4081: { severity: "error", message: "Split `{split}` of `{dataset}` has {count} {records} whose `caption` is {shape} (first: {file} record {index}): {effect}. `lavisc run` refuses it before training.", hint: "Training records take one caption each (a string; one record per caption, as coco_karpathy_train.json); evaluated retrieval records take a list of captions (`[\"a dog\"]`, as coco_karpathy_test.json)." },
  LV4082: { severity: "warning", message: "{message}.", title: "A key LAVIS honours that lavisc's tfjs engine does not.", hint: "`lavisc run --engine lavis` runs the experiment with LAVIS, which honours it; `lavisc check` does not report it, since LAVIS may run the experiment." },
  LV4093: { severity: "warning", message: "`{key}` is {value}, but model `{arch}` ignores it: task `{task}` passes it to the model's generate, which takes no {key}, so the model generates with {key} {fixed}.", hint: "Remove `{key}` from the recipe: the tfjs engine generates with {fixed}, as LAVIS's model does (LAVIS's task still passes it, and a generate without **kwargs stops with \"unexpected keyword argument\" at the first evaluation: LAVIS#625)." },
  LV4094: { severity: "warning", message: "`vit_drop_path_rate` is {value}, but model `{arch}` ignores it for vit_type `{vitType}`: LAVIS's VisionTransformerEncoder builds that ViT with drop-path rate {forced} whatever the config says (`{forced} or vit_drop_path_rate`).", hint: "Remove `vit_drop_path_rate`: a {vitType} ViT trains with drop-path rate {forced} (linspace(0, {forced}, depth) over its blocks) in LAVIS and in lavisc's tfjs engine, whatever the key says." },
  LV4095: { severity: "warning", message: "`drop_path_rate` is {value}, but model `{arch}` drops no paths: {reason}." },
  LV4096: { severity: "error", message: "Task `{task}` evaluates split `{split}` of `{dataset}`, whose records ({records}) have no `{key}`: LAVIS predicts the whole split, then stops with {failure}." },

  // --- execution graph --------------------------------------------------------------------------------
  LV5001: { severity: "error", message: "{message}", title: "The execution graph cannot be built as written." },
  LV5002: { severity: "warning", message: "{message}", title: "A warning about the execution graph." },
  LV5003: { severity: "error", message: "`{key}` has no value, but the run needs it for {purpose}." },
  LV5004: { severity: "error", message: "The {role} split `{split}` has no data: no dataset of this experiment provides it." },
  LV5005: { severity: "error", message: "Processor `{processor}` makes {size}x{size} images, but the model expects image_size {modelSize}.", hint: "Set the processor's image_size to the model's, or change model.image_size." },
  LV5006: { severity: "warning", message: "Processor `{processor}` keeps up to {words} words, but the model truncates text to max_txt_len = {tokens} tokens.", hint: "Words beyond the model's text length are cut by the tokenizer; lower max_words or raise max_txt_len." },
  LV5007: { severity: "error", message: "`k_test` is {k}, but evaluation split `{split}` of `{dataset}` has only {count} {what}.", hint: "Retrieval re-ranks the top k_test candidates per image and per text; k_test must not exceed either count." },
  LV5008: { severity: "error", message: "`{key}` must be a positive integer, but it is {value}." },
  LV5009: { severity: "error", message: "`num_beams` is {value}, but {arch} generates with 1 to {max} beams." },
  LV5011: { severity: "error", message: "Training split `{split}` of `{dataset}` has {count} records{shard}, fewer than batch_size_train = {batch}, so no training step runs.", hint: "The training loader drops the last incomplete batch; lower batch_size_train{world} or add data." },
  LV5012: { severity: "error", message: "Split `{split}` of dataset `{dataset}` has no `vis_processor.{phase}`, so its images reach the model unprocessed.", hint: "LAVIS builds datasets from `datasets.<name>.vis_processor`, not from the model's `preprocess`; set `vis_processor.{phase}` in the dataset." },
  LV5013: { severity: "error", message: "`{key}` is `{value}`, which the tfjs engine cannot execute (it runs {supported}).", hint: "Run the experiment with LAVIS: `lavisc run --engine lavis`." },
  LV5014: { severity: "error", message: "`{key}` is {value}: the run would train {steps} steps, beyond {max} (2^53 - 1, the largest count a step counter holds exactly), so it never ends, and its learning rates, checkpoints and log cannot be computed.", hint: "Set `{key}` to the length you mean to train; a run meant to be stopped by hand needs no more than a few million (a stop writes a resumable checkpoint)." },
  LV5015: { severity: "error", message: "Split `{split}` of `{dataset}`, which the run evaluates (`{key}`), has no records: its metrics would be computed on nothing, a score of 0 that is no score{best}.", hint: "Give `{split}` annotations with records (build_info.annotations.{split}), or leave it out of `{key}`." },
  LV5016: { severity: "error", message: "`{key}` is `{value}`, which the tfjs engine does not {verb} (it {verbs} {supported}), so `lavisc run` would stop before its first step.", hint: "Run the experiment with LAVIS: `lavisc run --engine lavis`, or `lavisc export` for LAVIS's train.py; or {instead}." },
  LV5017: { severity: "error", message: "`run.resume_ckpt_path`: {problem}, so `lavisc run` would stop before training.", hint: "Give the `.json` half of a lavisc checkpoint (`checkpoint_<epoch>.json` in an earlier run's folder; a stopped run prints the one to resume from), or leave resume_ckpt_path unset to train from the start." },
  LV5018: { severity: "error", message: "An evaluation-only run (`evaluate` is true) of `{arch}` has no vocabulary for its tokenizer: {why}, model.vocab_file is not set, and it trains on nothing to build one from, so `lavisc run` would stop before evaluating.", hint: "Set model.vocab_file (a BERT vocab.txt, or `lavisc data vocab` of the experiment that trained the weights), load weights saved by lavisc (their checkpoint JSON carries the vocabulary), or train on a split with captions." },
  LV5019: { severity: "warning", message: "An evaluation-only run (`evaluate` is true) that loads no weights: it evaluates `{arch}` as randomly initialised, so its metrics say nothing about a trained model.", hint: "Load trained weights (model.finetuned with load_finetuned, model.pretrained with load_pretrained, or finetuned_from for a lavisc project), or train first." },

  // --- runtime and environment ---------------------------------------------------------------------------
  LV6001: { severity: "error", message: "{message}", title: "The run cannot go ahead on this machine." },
  LV6002: { severity: "warning", message: "{message}", title: "A warning about this machine or the run." },
  LV6003: { severity: "warning", message: "`world_size` is {world}, but this machine runs {cores} threads at once (os.availableParallelism): {world} replicas share {cores} cores, so a step takes about {slowdown}x as long as with {cores}.", hint: "Set world_size to {cores} or fewer (batch_size_train is per replica: raise it to keep the global batch)." },
  LV6004: { severity: "error", message: "`world_size` {world} starts {world} replicas, each a copy of the model in its own thread: about {need} in all, per replica {step} plus about {thread} for the thread's runtime; this machine has {total} of memory, so `lavisc run` does not start them.", hint: "Lower world_size{fewer}, or lower batch_size_train; `lavisc plan` shows the estimate." },
  LV6005: { severity: "warning", message: "A training step needs about {need} (fp32 estimate{queues}), and {limit}: the run would fail to allocate it.", hint: "Lower batch_size_train, queue_size or the model's size; `lavisc plan` shows the estimate's parts." },
  LV6010: { severity: "error", message: "The sweep folder {dir} holds trial {trial} of another configuration: {detail}.", hint: "Give the sweep another folder (--out DIR), or delete {dir}/{trial} to run the trial again." },

  // --- internal ---------------------------------------------------------------------------------------------
  LV9001: { severity: "error", message: "Internal error: {detail}.", hint: "This is a bug in lavisc; please report it with the file that caused it." },
} as const satisfies Record<string, CatalogEntry>;

export type DiagnosticCode = keyof typeof messages;

/** The context a sweep adds in front of a trial's diagnostic (its code stays the diagnostic's own). */
export const trialContext = "trial {trial} ({values}): {message}";
/** The label of the related span that points at the sweep axis a trial took a value from. */
export const trialAxisLabel = "trial {trial} takes {key} = {value} from here";

/** What a code is about, in one line: its title, or its sentence with "…" for the arguments (SARIF rules, statistics). */
export function codeSummary(code: DiagnosticCode): string {
  const entry: CatalogEntry = messages[code];
  return entry.title ?? entry.message.replace(/\{\w+\}/g, "…");
}
