export const page = "ui";
