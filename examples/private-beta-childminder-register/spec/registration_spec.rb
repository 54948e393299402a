require "rails_helper"
