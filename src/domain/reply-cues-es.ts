/**
 * Spanish cues for the reply classes: servicers answer Spanish-speaking borrowers in Spanish (form letters,
 * portal notices, short e-mails). Same shape and meaning as the English lists of reply-cues.ts, which append
 * these. Written without relying on accents being present ("informacion" and "información" both match).
 */

import type { ReplyClass } from "./reply-classes.js";
import type { Cue } from "./reply-cues.js";

/** Saying no: no proporcionaremos, no estamos obligados, no podemos entregar, no volveremos a investigar. */
const NEGATIVA =
  /\bno (?:estamos obligados|tenemos (?:la )?obligaci[oó]n|podemos (?:proporcionar|entregar|compartir|tratar|atender)|proporcionaremos|entregaremos|vamos a (?:volver a )?(?:revisar|investigar|entregar)|(?:la |lo |las |los )?(?:volveremos|abriremos)|ser[aá] (?:entregad|proporcionad)[ao]s?)\b/i;
/** A ground of the rule, in Spanish. */
const FUNDAMENTO =
  /\b(?:confidencial\w*|privilegiad[ao]s?|propiedad exclusiva|(?:demasiado|muy|excesivamente) (?:amplia|general)|onerosa|duplicad[ao]|(?:el|la) mism[ao] (?:reclamo|error|solicitud|queja|disputa)|ya (?:le )?(?:respondimos|contestamos|atendimos)|no (?:tiene|guarda|est[aá]) (?:relaci[oó]n|relacionad[ao])|m[aá]s de un a[nñ]o|extempor[aá]ne[ao]|direcci[oó]n (?:designada|equivocada|incorrecta)|sin informaci[oó]n nueva|no (?:aporta|incluye|trae) informaci[oó]n nueva)\b/i;

export const ES_CUES: Record<ReplyClass, Cue[]> = {
  exception: [
    { re: NEGATIVA, and: FUNDAMENTO, w: 4 },
    { re: /\b(?:solicitud|petici[oó]n) (?:es )?(?:demasiado|muy|excesivamente) (?:amplia|general)\b/i, w: 4 },
    { re: /\b(?:solicitud|reclamo) duplicad[ao]\b|\bmismo reclamo que ya\b/i, w: 4 },
    { re: /\bno (?:se considera|podemos tratarla como) (?:un )?aviso de error\b/i, w: 4 },
  ],
  extension: [
    {
      re: /\b(?:ampliamos|extendemos|extendimos|ampliamos|prorrogamos)\b|\b(?:hemos|ha sido) (?:ampliado|extendido|prorrogado)\b/i,
      w: 4,
    },
    { re: /\bpr[oó]rroga\b|\bampliaci[oó]n del plazo\b|\bplazo (?:adicional|extendido)\b/i, w: 3 },
    { re: /\b(?:tiempo adicional|m[aá]s tiempo)\b/i, w: 2 },
    { re: /\b(?:15|quince)(?: \(15\))? d[ií]as h[aá]biles (?:adicionales|m[aá]s)\b/i, w: 3 },
    { re: /\bnueva fecha\b|\bse retrasa\b|\bfecha (?:de respuesta )?nueva\b/i, w: 2 },
  ],
  "documents-requested": [
    {
      re: /\b(?:env[ií]e(?:nos)?|env[ií]enos|mande|m[aá]ndenos|suba|proporcione|presente|haga llegar|hacernos llegar|favor de enviar|reenv[ií]e|firme y devuelva)\b/i,
      w: 2,
    },
    {
      re: /\bnecesitamos (?:que|una copia|copia|el|la|los|las|su)\b|\bnos (?:hace|hacen) falta\b|\bme hace falta\b/i,
      w: 3,
    },
    { re: /\b(?:falta|faltan|faltante|pendientes?|incomplet[ao])\b/i, w: 2 },
    { re: /\bno podemos (?:procesar|continuar|seguir|evaluar)\b[^.]{0,60}\b(?:hasta|sin)\b/i, w: 3 },
  ],
  response: [
    {
      re: /\b(?:determinamos|concluimos|encontramos|confirmamos) que\b|\bno (?:hubo|encontramos) ning[uú]n error\b/i,
      w: 3,
    },
    {
      re: /\b(?:revertimos|reembolsamos|corregimos|eliminamos|acreditamos|ajustamos|aplicamos)\b|\b(?:fue|ha sido) (?:revertid|reembolsad|corregid|eliminad|acreditad)[oa]\b/i,
      w: 3,
    },
    {
      re: /\badjunt[oa] (?:encontrar[aá]|le enviamos)\b|\ble (?:enviamos|adjunto) (?:adjunto )?(?:el|la|los|las)\b/i,
      w: 2,
    },
    { re: /\b(?:el )?(?:due[nñ]o|propietario) de su pr[eé]stamo es\b|\bsu pr[eé]stamo pertenece a\b/i, w: 3 },
    { re: /\b(?:fue|ha sido) (?:aprobad|rechazad)[ao]\b|\bderecho a apelar\b/i, w: 3 },
  ],
  acknowledgment: [
    {
      re: /\b(?:hemos recibido|recibimos|acusamos recibo|confirmamos (?:la )?recepci[oó]n|ya (?:la |lo )?tenemos|qued[oó] registrad[ao])\b/i,
      w: 2,
    },
    { re: /\ble (?:responderemos|contestaremos|daremos una respuesta|enviaremos (?:una|nuestra) respuesta)\b/i, w: 2 },
    {
      re: /\b(?:est[aá] siendo|est[aá]n siendo) (?:revisad|atendid|procesad)[ao]s?\b|\blo estamos revisando\b/i,
      w: 1.5,
    },
    { re: /\b(?:fue|ha sido) (?:asignad|remitid|turnad|enviad)[ao] al\b|\bla pas[eé] al\b|\blo turn[eé]\b/i, w: 1.5 },
  ],
  other: [
    { re: /\b(?:ya )?est[aá] disponible\b|\bestado de cuenta\b[^.]{0,30}\bdisponible\b/i, w: 2 },
    { re: /\bpago (?:recibido|aplicado|programado)\b|\bgracias por su pago\b/i, w: 3 },
    { re: /\bencuesta\b|\brefinanci\w*|\bseminario\b|\bconsejos\b/i, w: 2 },
  ],
};
