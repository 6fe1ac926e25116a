import type { Redactor } from "@cutover/core";
import { type AnnotationProperties, annotate, group, info } from "./workflow-commands.js";

export type { AnnotationProperties };

/** The step's log as actions write to it; every message is redacted first. */
export interface Logger {
  info(text: string): void;
  /** An annotation when `annotation` is given; a plain warning line otherwise. */
  warning(text: string, annotation?: AnnotationProperties): void;
  error(text: string, annotation?: AnnotationProperties): void;
  notice(text: string, annotation?: AnnotationProperties): void;
  /** Folds what `body` logs under a title in the runner's log. */
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}

/** A logger writing to the runner's log as workflow commands. */
export function actionsLogger(redactor: Redactor): Logger {
  const scrub = (text: string) => redactor.redact(text);
  const scrubAnnotation = (annotation: AnnotationProperties | undefined) =>
    annotation?.title === undefined ? annotation : { ...annotation, title: scrub(annotation.title) };
  return {
    info: (text) => info(scrub(text)),
    warning: (text, annotation) => annotate("warning", scrub(text), scrubAnnotation(annotation)),
    error: (text, annotation) => annotate("error", scrub(text), scrubAnnotation(annotation)),
    notice: (text, annotation) => annotate("notice", scrub(text), scrubAnnotation(annotation)),
    group: (title, body) => group(scrub(title), body),
  };
}
