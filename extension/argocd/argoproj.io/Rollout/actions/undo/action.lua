-- Rollout Kit: the `undo` action for argoproj.io/Rollout. Argo CD's action scripts see only the
-- Rollout, so this cannot copy an old ReplicaSet's pod template. It records the wanted revision
-- in an annotation; the Rollout Kit controller performs the undo and removes the annotation.
-- The revision comes from the action parameter `revision` (Argo CD 3.1+). Argo CD runs custom
-- scripts without the string and math libraries: only base functions are used.
local UNDO_TO_REVISION = "rollout-kit.io/undo-to-revision"

local raw = nil
if actionParams ~= nil then
  raw = actionParams["revision"]
end
if raw == nil or raw == "" then
  error("undo needs the parameter revision, the revision to go back to (Argo CD passes action parameters from version 3.1 on)", 0)
end

local revision = tonumber(raw)
-- Whole numbers from 1 up, written plainly: `revision % 1 ~= 0` also rejects NaN, the upper
-- bound infinity, and comparing with tostring rejects "0x10", " 3", "03" and "1e2".
if revision == nil or revision < 1 or revision % 1 ~= 0 or revision > 2147483647 or tostring(revision) ~= raw then
  error("undo: revision must be a whole number of 1 or more, such as 3, not " .. tostring(raw), 0)
end
local wanted = raw

if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local current = obj.metadata.annotations["rollout.argoproj.io/revision"]
if current ~= nil and tonumber(current) == revision then
  error("undo: revision " .. wanted .. " is already the current revision", 0)
end

obj.metadata.annotations[UNDO_TO_REVISION] = wanted
return obj
