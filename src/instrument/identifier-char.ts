/** A character that would glue onto an inserted identifier (`of[a]` must not become `of__rh$…`). */
export const IDENTIFIER_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;
