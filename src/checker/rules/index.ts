import type { Rule } from "../context.js";
import { missingSectionRule } from "./missingSection.js";
import { sectionShapeRule } from "./sectionShape.js";
import { ignoredSectionRule } from "./ignoredSection.js";
import { unknownTaskRule } from "./unknownTask.js";
import { unknownArchRule } from "./unknownArch.js";
import { unknownBuilderRule } from "./unknownBuilder.js";
import { unknownProcessorRule } from "./unknownProcessor.js";
import { unknownSchedulerRule } from "./unknownScheduler.js";
import { unknownRunnerRule } from "./unknownRunner.js";
import { unknownDeviceRule } from "./unknownDevice.js";
import { unknownKeyRule } from "./unknownKey.js";
import { valueTypeRule } from "./valueType.js";
import { constraintsRule } from "./constraints.js";
import { taskModelRule } from "./taskModel.js";
import { taskDatasetRule } from "./taskDataset.js";
import { splitsExistRule } from "./splitsExist.js";
import { sampleContractRule } from "./sampleContract.js";
import { generationLengthRule } from "./generationLength.js";
import { llmMaxLengthRule } from "./llmMaxLength.js";
import { warmupEpochRule } from "./warmupEpoch.js";
import { accumGradEpochRule } from "./accumGradEpoch.js";
import { innerEpochRemainderRule } from "./innerEpochRemainder.js";
import { captionGroundTruthRule } from "./captionGroundTruth.js";
import { mixedAnnotationsRule } from "./mixedAnnotations.js";
import { uncaptionedRetrievalImagesRule } from "./uncaptionedRetrievalImages.js";
import { captionShapeRule } from "./captionShape.js";
import { authorPathFallbackRule } from "./authorPathFallback.js";
import { vqaGroundTruthRule } from "./vqaGroundTruth.js";
import { evalSplitSharedRule } from "./evalSplitShared.js";
import { evalOnTrainDataRule } from "./evalOnTrainData.js";
import { annotationListsRule } from "./annotationLists.js";
import { dataTypeStorageRule } from "./dataTypeStorage.js";
import { pretrainedMissingRule } from "./pretrainedMissing.js";
import { resumeFrozenRule } from "./resumeFrozen.js";
import { vqaInferenceRule } from "./vqaInference.js";
import { validSplitLookupRule } from "./validSplitLookup.js";
import { bestCheckpointSplitRule } from "./bestCheckpointSplit.js";
import { evaluatesNothingRule } from "./evaluatesNothing.js";
import { weightsShapeRule } from "./weightsShape.js";
import { rankAnswerListRule } from "./rankAnswerList.js";
import { distEvalSamplerRule } from "./distEvalSampler.js";
import { captioningOneSplitRule } from "./captioningOneSplit.js";
import { trainDatasetRatiosRule } from "./trainDatasetRatios.js";
import { streamedTrainingRule } from "./streamedTraining.js";
import { ratiosNameEveryDatasetRule } from "./ratiosNameEveryDataset.js";
import { loadFinetunedRule } from "./loadFinetuned.js";
import { unreadWeightKeysRule } from "./unreadWeightKeys.js";
import { ignoredKeyRule } from "./ignoredKey.js";
import { generateFixedKeyRule } from "./generateFixedKey.js";
import { vitDropPathForcedRule } from "./vitDropPathForced.js";
import { blip2DropPathIgnoredRule } from "./blip2DropPathIgnored.js";
import { unansweredSplitRule } from "./unansweredSplit.js";
import { vitModelUnbuiltRule } from "./vitModelUnbuilt.js";
import { modelTypeOverrideRule } from "./modelTypeOverride.js";
import { annotationUrlRule } from "./annotationUrl.js";
import { placeholderRule } from "./placeholder.js";
import { codeDefaultRule } from "./codeDefault.js";
import { notLavisConfigRule } from "./notLavisConfig.js";
import type { FileRole } from "../../semantic/fileRole.js";

/** Every rule, in the order their diagnostics read best. */
export const specifiedRules: readonly Rule[] = [
  sectionShapeRule,
  missingSectionRule,
  ignoredSectionRule,
  unknownTaskRule,
  unknownArchRule,
  unknownBuilderRule,
  unknownProcessorRule,
  unknownSchedulerRule,
  unknownRunnerRule,
  unknownDeviceRule,
  unknownKeyRule,
  valueTypeRule,
  constraintsRule,
  taskModelRule,
  taskDatasetRule,
  splitsExistRule,
  validSplitLookupRule,
  bestCheckpointSplitRule,
  evaluatesNothingRule,
  sampleContractRule,
  captioningOneSplitRule,
  captionGroundTruthRule,
  mixedAnnotationsRule,
  uncaptionedRetrievalImagesRule,
  captionShapeRule,
  authorPathFallbackRule,
  vqaGroundTruthRule,
  evalSplitSharedRule,
  evalOnTrainDataRule,
  generationLengthRule,
  llmMaxLengthRule,
  warmupEpochRule,
  accumGradEpochRule,
  innerEpochRemainderRule,
  annotationListsRule,
  dataTypeStorageRule,
  pretrainedMissingRule,
  resumeFrozenRule,
  weightsShapeRule,
  vqaInferenceRule,
  rankAnswerListRule,
  distEvalSamplerRule,
  trainDatasetRatiosRule,
  ratiosNameEveryDatasetRule,
  streamedTrainingRule,
  loadFinetunedRule,
  unreadWeightKeysRule,
  ignoredKeyRule,
  generateFixedKeyRule,
  vitDropPathForcedRule,
  blip2DropPathIgnoredRule,
  unansweredSplitRule,
  vitModelUnbuiltRule,
  modelTypeOverrideRule,
  annotationUrlRule,
  placeholderRule,
  codeDefaultRule,
];

/** What a file is decides what it must hold: a default file (a fragment) or an inference config is checked for what it holds, not for what a training run needs. */
const rulesByRole: Readonly<Record<FileRole, readonly Rule[]>> = {
  project: specifiedRules,
  inference: specifiedRules.filter((r) => ![splitsExistRule, validSplitLookupRule, bestCheckpointSplitRule, evaluatesNothingRule, rankAnswerListRule, distEvalSamplerRule, captioningOneSplitRule, trainDatasetRatiosRule, ratiosNameEveryDatasetRule, streamedTrainingRule, ignoredKeyRule, codeDefaultRule].includes(r)),
  "dataset-defaults": [unknownBuilderRule, unknownProcessorRule, unknownKeyRule, valueTypeRule, constraintsRule, annotationUrlRule, placeholderRule],
  "model-defaults": [unknownArchRule, unknownProcessorRule, unknownKeyRule, valueTypeRule, constraintsRule, vitDropPathForcedRule, blip2DropPathIgnoredRule, vitModelUnbuiltRule, placeholderRule],
  "runtime-defaults": [placeholderRule],
  "not-lavis": [notLavisConfigRule],
};

export function rulesFor(role: FileRole | undefined): readonly Rule[] {
  return rulesByRole[role ?? "project"];
}
