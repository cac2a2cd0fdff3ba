mock_provider "aws" {
  # the provider validates ARNs: give the mocked policy a well-formed one
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::444455556666:policy/mock" }
  }
}

variables {
  account_id = "444455556666"
  region     = "eu-west-1"
  buckets = {
    log          = "acme-snowplow-logs"
    raw_in       = "acme-snowplow-raw"
    processing   = "acme-snowplow-processing"
    enriched_out = "acme-snowplow-enriched"
    archive      = "acme-snowplow-archive"
    bad_rows     = "acme-snowplow-bad-rows"
  }
}

run "least_privilege_names_buckets_clusters_and_roles" {
  command = apply

  assert {
    condition     = [for s in jsondecode(output.operator_policy_json).Statement : s.Resource if s.Sid == "WritePipelineData"][0] == ["arn:aws:s3:::acme-snowplow-archive/*", "arn:aws:s3:::acme-snowplow-bad-rows/*", "arn:aws:s3:::acme-snowplow-enriched/*", "arn:aws:s3:::acme-snowplow-logs/*", "arn:aws:s3:::acme-snowplow-processing/*"]
    error_message = "writes go to the log, processing, enriched, archive and bad rows buckets only"
  }
  assert {
    condition     = !contains(flatten([for s in jsondecode(output.operator_policy_json).Statement : s.Resource if s.Sid == "DeleteMovedPipelineData"]), "arn:aws:s3:::acme-snowplow-archive/*")
    error_message = "the archive is never deleted from"
  }
  assert {
    condition     = [for s in jsondecode(output.operator_policy_json).Statement : s.Condition.StringLike["iam:PassedToService"] if s.Sid == "PassEmrServiceRole"][0] == "elasticmapreduce.amazonaws.com*"
    error_message = "the EMR service role is passed to EMR only"
  }
  assert {
    condition     = length([for s in jsondecode(output.operator_policy_json).Statement : s if contains(s.Action, "s3:*")]) == 0
    error_message = "no service-wide wildcards at the least-privilege level"
  }
}

run "compatible_is_the_published_policy" {
  command = apply

  variables {
    level = "compatible"
  }

  assert {
    condition     = contains(jsondecode(output.operator_policy_json).Statement[0].Action, "s3:*") && jsondecode(output.operator_policy_json).Statement[0].Resource == ["*"]
    error_message = "the compatible level is Snowplow's published policy"
  }
}

run "rejects_an_invalid_bucket_name" {
  command = plan

  variables {
    buckets = {
      log          = "Acme_Logs"
      raw_in       = "acme-snowplow-raw"
      processing   = "acme-snowplow-processing"
      enriched_out = "acme-snowplow-enriched"
      archive      = "acme-snowplow-archive"
      bad_rows     = "acme-snowplow-bad-rows"
    }
  }

  expect_failures = [var.buckets]
}
